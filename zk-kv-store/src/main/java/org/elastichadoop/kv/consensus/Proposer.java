package org.elastichadoop.kv.consensus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.storage.Ballots;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Decides one key's value among its RF replicas, as single-decree Paxos with a fast first round.
 *
 * <p>Fast round: the value goes to all RF replicas at once in a round-0 ballot, which a replica takes only if it
 * holds nothing and promised nothing. W votes for the value make it chosen: the put is acknowledged, the voters
 * are told to commit and the other replicas get the value as chosen (a replica that cannot be reached is owed a
 * copy). A replica that already holds a committed value ends the matter at once.
 *
 * <p>When racing proposers split the fast round, or too few replicas answer, classic rounds follow: PREPARE with a
 * higher ballot to all replicas; once RF - W + 1 promised, {@link Choice#decide} names the value that may already
 * have been chosen (or frees the proposer to propose its own), and ACCEPT of that value in the same ballot must
 * win W votes. A round lost to a higher ballot is retried after a random pause; past the deadline the outcome is
 * UNKNOWN. A reader uses the same rounds without a value of its own: "free" then means no value was chosen.
 */
public final class Proposer {
    private static final Logger LOG = LogManager.getLogger(Proposer.class);

    private final List<Replica> replicas;
    private final Choice choice;
    private final byte[] key;
    private final ReplicaState mine;
    private final long deadlineNanos;
    private final Consumer<Replica> owedCopy;
    private int highestRoundSeen;

    private Proposer(List<Replica> replicas, Choice choice, byte[] key, ReplicaState mine, long timeoutMillis,
                     Consumer<Replica> owedCopy) {
        this.replicas = replicas;
        this.choice = choice;
        this.key = key;
        this.mine = mine;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.owedCopy = owedCopy;
    }

    /**
     * Proposes {@code value} for the key: CHOSEN when it is the key's value, OTHER_CHOSEN when another is;
     * DELETED, BAD_REQUEST or UNKNOWN otherwise. The bytes are copied before this returns.
     */
    public static CompletableFuture<Outcome> propose(List<Replica> replicas, Choice choice, byte[] key, int valueCrc,
                                                     ByteBuf value, long timeoutMillis, Consumer<Replica> owedCopy) {
        byte[] bytes = new byte[value.readableBytes()];
        value.getBytes(value.readerIndex(), bytes);
        ReplicaState mine = new ReplicaState(KeyState.State.PROVISIONAL, 0, -1, valueCrc, bytes.length, bytes);
        return new Proposer(replicas, choice, key, mine, timeoutMillis, owedCopy).fastRound().thenApply(o ->
                o.kind() == Outcome.Kind.CHOSEN && !Choice.sameValue(mine, o.value())
                        ? new Outcome(Outcome.Kind.OTHER_CHOSEN, o.value(), "another value was chosen") : o);
    }

    /**
     * Settles a key that some replica holds provisionally: CHOSEN (bytes included), or NOTHING when no value can
     * have been chosen. Proposes nothing of its own.
     */
    public static CompletableFuture<Outcome> settle(List<Replica> replicas, Choice choice, byte[] key, long timeoutMillis,
                                                    Consumer<Replica> owedCopy) {
        return new Proposer(replicas, choice, key, null, timeoutMillis, owedCopy).classicRound(1);
    }

    private CompletableFuture<Outcome> fastRound() {
        long ballot = Ballots.fresh(0);
        ByteBuf value = Unpooled.wrappedBuffer(mine.value());
        return Gather.ask(replicas, r -> r.accept(key, ballot, mine.valueCrc(), value), this::acceptSettled)
                .thenCompose(g -> {
                    Outcome end = decisive(g);
                    if (end != null) {
                        // a replica holds another value as committed: the ones that just took ours get that one
                        return CompletableFuture.completedFuture(end.kind() == Outcome.Kind.CHOSEN ? repairOthers(end, g) : end);
                    }
                    if (votes(g) >= choice.w()) {
                        return CompletableFuture.completedFuture(chosen(mine, ballot, g));
                    }
                    return classicRound(1);
                });
    }

    private boolean acceptSettled(Gather g) {
        int votes = votes(g);
        return votes >= choice.w() || decisive(g) != null || votes + g.pending() < choice.w();
    }

    private static int votes(Gather g) {
        int n = 0;
        for (Gather.Answer a : g.answers()) {
            if (a.response().status() == Status.OK) {
                n++;
            }
        }
        return n;
    }

    /** An answer that ends the matter: the key is committed to other bytes, deleted, or the value is refused as bad. */
    private Outcome decisive(Gather g) {
        for (Gather.Answer a : g.answers()) {
            Response r = a.response();
            if (r.status() == Status.DELETED) {
                return Outcome.of(Outcome.Kind.DELETED, "the key was deleted");
            }
            if (r.status() == Status.BAD_REQUEST) {
                return Outcome.of(Outcome.Kind.BAD_REQUEST, r.message());
            }
            if (r.status() == Status.REFUSED) {
                ReplicaState s = Answers.stateOf(r);
                if (s != null && s.state() == KeyState.State.PRESENT) {
                    return Outcome.chosen(s);
                }
            }
        }
        return null;
    }

    private CompletableFuture<Outcome> classicRound(int attempt) {
        if (System.nanoTime() > deadlineNanos) {
            return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.UNKNOWN,
                    "no decision within the request timeout after " + (attempt - 1) + " classic rounds"));
        }
        int round = Math.min(Ballots.MAX_ROUND, Math.max(attempt, highestRoundSeen + 1));
        long ballot = Ballots.fresh(round);
        return Gather.ask(replicas, r -> r.prepare(key, ballot), this::prepareSettled).thenCompose(g -> {
            Outcome end = decisive(g);
            if (end != null) {
                return CompletableFuture.completedFuture(end.kind() == Outcome.Kind.CHOSEN ? repairOthers(end, g) : end);
            }
            int promised = 0;
            boolean outbid = false;
            List<ReplicaState> all = new ArrayList<>();
            for (Gather.Answer a : g.answers()) {
                ReplicaState s = Answers.stateOf(a.response());
                if (s == null) {
                    continue;
                }
                all.add(s);
                noteRound(s);
                promised += a.response().status() == Status.OK ? 1 : 0;
                outbid |= a.response().status() == Status.REFUSED;
            }
            if (outbid) {
                return later(attempt + 1);
            }
            if (promised < choice.readQuorum()) {
                return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.UNKNOWN, "only " + promised
                        + " of " + replicas.size() + " replicas answered; " + choice.readQuorum() + " are needed"));
            }
            Choice.Decision d = choice.decide(all, g.unanswered());
            if (d instanceof Choice.Known k) {
                return CompletableFuture.completedFuture(repairOthers(Outcome.chosen(k.value()), g));
            }
            if (d instanceof Choice.Ambiguous) {
                return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.UNKNOWN,
                        "replicas that did not answer could hold either of two proposed values"));
            }
            ReplicaState candidate = d instanceof Choice.Propose p ? p.value() : mine;
            if (candidate == null) {
                return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.NOTHING, null));
            }
            return acceptRound(ballot, candidate, attempt);
        });
    }

    private boolean prepareSettled(Gather g) {
        if (decisive(g) != null) {
            return true;
        }
        int promised = 0;
        List<ReplicaState> all = new ArrayList<>();
        for (Gather.Answer a : g.answers()) {
            ReplicaState s = Answers.stateOf(a.response());
            if (s != null) {
                all.add(s);
            }
            if (a.response().status() == Status.OK) {
                promised++;
            } else if (a.response().status() == Status.REFUSED) {
                return true; // someone holds a higher ballot: this round is lost
            }
        }
        return promised >= choice.readQuorum() && !(choice.decide(all, g.unanswered()) instanceof Choice.Ambiguous);
    }

    private CompletableFuture<Outcome> acceptRound(long ballot, ReplicaState candidate, int attempt) {
        ByteBuf value = Unpooled.wrappedBuffer(candidate.value());
        return Gather.ask(replicas, r -> r.accept(key, ballot, candidate.valueCrc(), value), this::acceptSettled)
                .thenCompose(g -> {
                    Outcome end = decisive(g);
                    if (end != null) {
                        return CompletableFuture.completedFuture(end);
                    }
                    if (votes(g) >= choice.w()) {
                        return CompletableFuture.completedFuture(chosen(candidate, ballot, g));
                    }
                    for (Gather.Answer a : g.answers()) {
                        ReplicaState s = Answers.stateOf(a.response());
                        if (s != null) {
                            noteRound(s);
                        }
                    }
                    return later(attempt + 1);
                });
    }

    private void noteRound(ReplicaState s) {
        highestRoundSeen = Math.max(highestRoundSeen, Math.max(Ballots.round(s.ballot()),
                s.promised() < 0 ? 0 : Ballots.round(s.promised())));
    }

    /** The next classic round after a random pause, so that duelling proposers stop outbidding each other. */
    private CompletableFuture<Outcome> later(int attempt) {
        long pauseMillis = ThreadLocalRandom.current().nextLong(2, 10L * Math.min(attempt, 8));
        return CompletableFuture.supplyAsync(() -> null,
                        CompletableFuture.delayedExecutor(pauseMillis, TimeUnit.MILLISECONDS))
                .thenCompose(x -> classicRound(attempt));
    }

    /**
     * The value won W votes in {@code ballot}: each replica that voted for it (now or once its answer comes) commits
     * it, and every other replica gets it as chosen.
     */
    private Outcome chosen(ReplicaState value, long ballot, Gather g) {
        g.later((r, answer) -> {
            if (answer != null && answer.status() == Status.OK) {
                r.commit(key, ballot, value.valueCrc(), value.valueLength()).whenComplete((resp, e) -> {
                    if (e != null || resp.status() != Status.OK) {
                        LOG.debug("Commit on {} did not take ({}); a read or anti-entropy settles it",
                                r.id(), e != null ? e.toString() : resp.status());
                    }
                });
            } else {
                copyTo(r, value);
            }
        });
        return Outcome.chosen(value);
    }

    /** A decided value learnt from a replica: the others that answered without it get it as chosen. */
    private Outcome repairOthers(Outcome chosen, Gather g) {
        ReplicaState value = chosen.value();
        if (value.value() == null) {
            return chosen;
        }
        for (Gather.Answer a : g.answers()) {
            ReplicaState s = Answers.stateOf(a.response());
            if (s != null && s.state() != KeyState.State.PRESENT && s.state() != KeyState.State.TOMBSTONE) {
                copyTo(a.replica(), value);
            }
        }
        return chosen;
    }

    private void copyTo(Replica r, ReplicaState value) {
        r.store(key, value.valueCrc(), Unpooled.wrappedBuffer(value.value())).whenComplete((resp, e) -> {
            if (e != null || resp.status() != Status.OK && resp.status() != Status.DELETED) {
                owedCopy.accept(r);
            }
        });
    }
}
