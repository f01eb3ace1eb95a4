package org.elastichadoop.kv.consensus;

import io.netty.buffer.Unpooled;
import java.util.List;
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
            if (known != null && known.kind() == Outcome.Kind.CHOSEN) {
                CompletableFuture<Integer> copies = repair(g, key, known.value(), owedCopy);
                if (known.value().state() == KeyState.State.PRESENT) {
                    return CompletableFuture.completedFuture(known); // whoever committed it made it safe first
                }
                // proven by provisional copies only: commit it on two replicas before anyone sees it
                return copies.thenApply(n -> n >= 2 ? known : Outcome.of(Outcome.Kind.UNKNOWN,
                        "chosen, but fewer than two replicas confirmed their commit"));
            }
            if (known != null) {
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

    /**
     * Replicas that answered without the committed value get it (a provisional holder of the same bytes just commits
     * it, durably). Completes with how many replicas now hold it committed, the ones that already did included.
     */
    private static CompletableFuture<Integer> repair(Gather g, byte[] key, ReplicaState value, Consumer<Replica> owedCopy) {
        List<Gather.Answer> answers = g.answers();
        CompletableFuture<Integer> twoOrAll = new CompletableFuture<>();
        int[] counts = new int[2]; // [committed, settled]
        Runnable settledOne = () -> {
            synchronized (counts) {
                counts[1]++;
                if (counts[0] >= 2 || counts[1] == answers.size()) {
                    twoOrAll.complete(counts[0]);
                }
            }
        };
        for (Gather.Answer a : answers) {
            ReplicaState s = Answers.stateOf(a.response());
            if (s != null && s.state() == KeyState.State.PRESENT) {
                synchronized (counts) {
                    counts[0]++;
                }
                settledOne.run();
                continue;
            }
            a.replica().store(key, value.valueCrc(), Unpooled.wrappedBuffer(value.value())).whenComplete((r, e) -> {
                if (e == null && r.status() == Status.OK) {
                    synchronized (counts) {
                        counts[0]++;
                    }
                } else {
                    owedCopy.accept(a.replica());
                }
                settledOne.run();
            });
        }
        if (answers.isEmpty()) {
            twoOrAll.complete(0);
        }
        return twoOrAll;
    }
}
