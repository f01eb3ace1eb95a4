package org.elastichadoop.kv.consensus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.elastichadoop.kv.wire.Status;

/**
 * Deletes a key: a tombstone on every replica, acknowledged once W hold it. A tombstone is final on a replica and
 * beats any value, so a delete needs no rounds; a replica that misses it is owed it.
 */
public final class Tombstones {
    private Tombstones() {
    }

    public static CompletableFuture<Outcome> delete(List<Replica> replicas, Choice choice, byte[] key, Consumer<Replica> owed) {
        return Gather.ask(replicas, r -> r.delete(key), g -> done(g) >= choice.w()).thenApply(g -> {
            g.later((r, answer) -> {
                if (answer == null || answer.status() != Status.OK) {
                    owed.accept(r);
                }
            });
            int done = done(g);
            return done >= choice.w() ? Outcome.chosen(null)
                    : Outcome.of(Outcome.Kind.UNKNOWN, done + " of " + choice.w() + " tombstones are durable");
        });
    }

    private static int done(Gather g) {
        int n = 0;
        for (Gather.Answer a : g.answers()) {
            n += a.response().status() == Status.OK ? 1 : 0;
        }
        return n;
    }
}
