package org.elastichadoop.kv.consensus;

import java.util.Set;
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

    public static CompletableFuture<Outcome> delete(ReplicaSet replicas, Choice choice, byte[] key, Consumer<Replica> owed) {
        return Gather.ask(replicas.replicas(), r -> r.delete(key),
                g -> choice.votesChoose(g.answeredWith(Status.OK), replicas.configs())).thenApply(g -> {
            g.later((r, answer) -> {
                if (answer == null || answer.status() != Status.OK) {
                    owed.accept(r);
                }
            });
            if (!g.answeredWith(Status.STALE_RING).isEmpty()) {
                return Outcome.of(Outcome.Kind.STALE_RING, "a replica knows a newer ring");
            }
            Set<String> done = g.answeredWith(Status.OK);
            return choice.votesChoose(done, replicas.configs()) ? Outcome.chosen(null)
                    : Outcome.of(Outcome.Kind.UNKNOWN, "only " + done.size() + " tombstones are durable; W=" + choice.w()
                    + " of each replica set are needed");
        });
    }
}
