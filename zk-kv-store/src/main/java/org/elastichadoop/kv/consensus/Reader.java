package org.elastichadoop.kv.consensus;

import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Status;

/**
 * Reads one key from its RF replicas. Any committed copy is the answer. "No entry" needs RF - W + 1 replicas that
 * hold nothing, since every acknowledged value sits on W of them. A provisional value that W replicas hold in
 * one round was chosen: it is the answer, and its holders are told to commit. Anything less settled is settled
 * by {@link Proposer#settle}, which may finish a put whose proposer stopped half-way.
 */
public final class Reader {
    private Reader() {
    }

    public static CompletableFuture<Outcome> read(ReplicaSet replicas, Choice choice, byte[] key, long timeoutMillis,
                                                  Consumer<Replica> owedCopy) {
        return Gather.ask(replicas.replicas(), r -> r.read(key), g -> settledBy(choice, replicas, g) != null).thenCompose(g -> {
            Outcome known = settledBy(choice, replicas, g);
            if (known != null) {
                if (known.kind() == Outcome.Kind.CHOSEN) {
                    repair(g, key, known.value(), owedCopy);
                }
                return CompletableFuture.completedFuture(known);
            }
            return Proposer.settle(replicas, choice, key, timeoutMillis, owedCopy);
        });
    }

    /** The outcome these answers prove, or null if they prove none yet. */
    private static Outcome settledBy(Choice choice, ReplicaSet replicas, Gather g) {
        if (!g.answeredWith(Status.STALE_RING).isEmpty()) {
            return Outcome.of(Outcome.Kind.STALE_RING, "a replica knows a newer ring");
        }
        Map<String, ReplicaState> states = g.states();
        if (states.values().stream().anyMatch(s -> s.state() == KeyState.State.TOMBSTONE)) {
            return Outcome.of(Outcome.Kind.DELETED, "the key was deleted");
        }
        ReplicaState chosen = choice.chosen(states, replicas.configs());
        if (chosen != null) {
            return Outcome.chosen(chosen);
        }
        return choice.provenEmpty(states, replicas.configs()) ? Outcome.of(Outcome.Kind.NOTHING, null) : null;
    }

    /** Replicas that answered without the committed value get it (a provisional holder just commits it). */
    private static void repair(Gather g, byte[] key, ReplicaState value, Consumer<Replica> owedCopy) {
        for (Gather.Answer a : g.answers()) {
            ReplicaState s = Answers.stateOf(a.response());
            if (s != null && s.state() == KeyState.State.PRESENT) {
                continue;
            }
            a.replica().store(key, value.valueCrc(), Unpooled.wrappedBuffer(value.value())).whenComplete((r, e) -> {
                if (e != null || r.status() != Status.OK) {
                    owedCopy.accept(a.replica());
                }
            });
        }
    }
}
