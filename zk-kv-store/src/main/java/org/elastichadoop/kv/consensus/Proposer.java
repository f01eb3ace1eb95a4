package org.elastichadoop.kv.consensus;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
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
    /** How long a chosen value waits for the last replica's vote before asking the voters to commit durably. */
    static final long SECURE_GRACE_MILLIS = 50;

    private final List<Replica> replicas;
    private final List<Set<String>> configs;
    private final Set<String> gone;
    private final Choice choice;
    private final byte[] key;
    private final ReplicaState mine;
    /** The proposer's own bytes (null for a reader), held until the last request that carries them is over. */
    private final ByteBuf mineBytes;
    private final AtomicInteger uses = new AtomicInteger(1);
    private final long deadlineNanos;
    private final Consumer<Replica> owedCopy;
    private int highestRoundSeen;

    private Proposer(ReplicaSet set, Choice choice, byte[] key, ReplicaState mine, ByteBuf mineBytes,
                     long timeoutMillis, Consumer<Replica> owedCopy) {
        this.mineBytes = mineBytes;
        this.replicas = set.replicas();
        this.configs = set.configs();
        this.gone = set.gone();
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
    public static CompletableFuture<Outcome> propose(ReplicaSet replicas, Choice choice, byte[] key, int valueCrc,
                                                     ByteBuf value, long timeoutMillis, Consumer<Replica> owedCopy) {
        // the caller's buffer (often the request's frame, in direct memory) goes out to every replica as it is
        ByteBuf bytes = value.retainedDuplicate();
        ReplicaState mine = new ReplicaState(KeyState.State.PROVISIONAL, 0, -1, valueCrc, bytes.readableBytes(), null);
        Proposer p = new Proposer(replicas, choice, key, mine, bytes, timeoutMillis, owedCopy);
        CompletableFuture<Outcome> outcome = p.fastRound().thenApply(p::asProposersOutcome);
        outcome.whenComplete((o, e) -> p.doneWithBytes());
        return outcome;
    }

    /** CHOSEN only if the chosen bytes are this proposer's, compared byte for byte when another replica sent them. */
    private Outcome asProposersOutcome(Outcome o) {
        if (o.kind() != Outcome.Kind.CHOSEN || o.value() == mine) {
            return o;
        }
        ReplicaState chosen = o.value();
        if (chosen.valueCrc() != mine.valueCrc() || chosen.valueLength() != mine.valueLength()) {
            return new Outcome(Outcome.Kind.OTHER_CHOSEN, chosen, "another value was chosen");
        }
        if (chosen.value() == null) {
            return Outcome.of(Outcome.Kind.UNKNOWN, "a value of the same length and CRC was chosen; its bytes did not arrive");
        }
        return mineBytes.equals(Unpooled.wrappedBuffer(chosen.value())) ? o
                : new Outcome(Outcome.Kind.OTHER_CHOSEN, chosen, "another value was chosen");
    }

    private void doneWithBytes() {
        if (mineBytes != null && uses.decrementAndGet() == 0) {
            mineBytes.release();
        }
    }

    /** Sends a request carrying the proposer's bytes; they stay held until it is answered or failed. */
    private CompletableFuture<Response> withMyBytes(Function<ByteBuf, CompletableFuture<Response>> send) {
        uses.incrementAndGet();
        CompletableFuture<Response> f;
        try {
            f = send.apply(mineBytes.duplicate());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> doneWithBytes());
        return f;
    }

    /** The bytes of a value to send: the proposer's own buffer, or the bytes a replica sent. */
    private CompletableFuture<Response> sendValue(ReplicaState value, Function<ByteBuf, CompletableFuture<Response>> send) {
        return value == mine ? withMyBytes(send) : send.apply(Unpooled.wrappedBuffer(value.value()));
    }

    /**
     * Settles a key that some replica holds provisionally: CHOSEN (bytes included), or NOTHING when no value can
     * have been chosen. Proposes nothing of its own.
     */
    public static CompletableFuture<Outcome> settle(ReplicaSet replicas, Choice choice, byte[] key, long timeoutMillis,
                                                    Consumer<Replica> owedCopy) {
        return new Proposer(replicas, choice, key, null, null, timeoutMillis, owedCopy).classicRound(1);
    }

    private CompletableFuture<Outcome> fastRound() {
        long ballot = Ballots.fresh(0);
        return Gather.ask(replicas, r -> sendValue(mine, b -> r.accept(key, ballot, mine.valueCrc(), b)), this::acceptSettled)
                .thenCompose(g -> {
                    Outcome end = decisive(g);
                    if (end != null) {
                        // a replica holds another value as committed: the ones that just took ours get that one
                        return CompletableFuture.completedFuture(end.kind() == Outcome.Kind.CHOSEN ? repairOthers(end, g) : end);
                    }
                    if (choice.votesChoose(g.answeredWith(Status.OK), configs)) {
                        return chosen(mine, ballot, g, 0);
                    }
                    return classicRound(1);
                });
    }

    /** Settled when the votes choose the value, cannot any more, or an answer ends the matter. */
    private boolean acceptSettled(Gather g) {
        Set<String> votes = g.answeredWith(Status.OK);
        if (choice.votesChoose(votes, configs) || decisive(g) != null) {
            return true;
        }
        Set<String> possible = new HashSet<>(votes);
        possible.addAll(g.pendingIds());
        return !choice.votesChoose(possible, configs);
    }

    /** An answer that ends the matter: the key is committed to other bytes, deleted, or the value is refused as bad. */
    private Outcome decisive(Gather g) {
        for (Gather.Answer a : g.answers()) {
            Response r = a.response();
            if (r.status() == Status.STALE_RING) {
                return Outcome.of(Outcome.Kind.STALE_RING, r.message());
            }
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
            Map<String, ReplicaState> states = g.states();
            states.values().forEach(this::noteRound);
            if (!g.answeredWith(Status.REFUSED).isEmpty()) {
                return later(attempt + 1); // outbid by another proposer
            }
            Set<String> promised = g.answeredWith(Status.OK);
            if (!choice.quorumInEach(promised, configs)) {
                return CompletableFuture.completedFuture(Outcome.of(Outcome.Kind.UNKNOWN, "only " + promised.size()
                        + " of " + replicas.size() + " replicas answered; " + choice.readQuorum() + " of each replica set are needed"));
            }
            Choice.Decision d = choice.decide(states, configs, gone);
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
        if (decisive(g) != null || !g.answeredWith(Status.REFUSED).isEmpty()) {
            return true; // decided, or someone holds a higher ballot: this round is lost
        }
        return choice.quorumInEach(g.answeredWith(Status.OK), configs)
                && !(choice.decide(g.states(), configs, gone) instanceof Choice.Ambiguous);
    }

    private CompletableFuture<Outcome> acceptRound(long ballot, ReplicaState candidate, int attempt) {
        return Gather.ask(replicas, r -> sendValue(candidate, b -> r.accept(key, ballot, candidate.valueCrc(), b)), this::acceptSettled)
                .thenCompose(g -> {
                    Outcome end = decisive(g);
                    if (end != null) {
                        return CompletableFuture.completedFuture(end);
                    }
                    if (choice.votesChoose(g.answeredWith(Status.OK), configs)) {
                        return chosen(candidate, ballot, g, attempt);
                    }
                    g.states().values().forEach(this::noteRound);
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
        return CompletableFuture.supplyAsync(() -> null, Delays.after(pauseMillis, TimeUnit.MILLISECONDS))
                .thenCompose(x -> classicRound(attempt));
    }

    /**
     * The value won W votes in {@code ballot}. It is acknowledged once it would survive the loss of any one node for
     * good: when every replica voted for it (then two holders remain whichever goes), or once two voters hold its
     * commit durably (then a committed copy remains). The third vote usually follows the second within a
     * millisecond; if it has not come within {@link #SECURE_GRACE_MILLIS}, or a replica refused or failed, the
     * voters are asked to commit durably. Every other replica gets the value as chosen.
     */
    private CompletableFuture<Outcome> chosen(ReplicaState value, long ballot, Gather g, int attempt) {
        Securing securing = new Securing(value, ballot);
        boolean mineToCopy = value == mine && mineBytes != null;
        if (mineToCopy) {
            uses.addAndGet(replicas.size()); // answers may come after the outcome: keep the bytes for their copies
        }
        g.later((r, answer) -> {
            try {
                securing.answered(r, answer);
            } finally {
                if (mineToCopy) {
                    doneWithBytes();
                }
            }
        });
        securing.grace = Delays.schedule(securing::commitDurably, SECURE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        return securing.result.completeOnTimeout(Outcome.of(Outcome.Kind.UNKNOWN, "chosen, but fewer than two replicas "
                + "confirmed their commit in time"), remaining, TimeUnit.MILLISECONDS)
                // a replica promised a newer round: confirm the value there (a classic round finds it again)
                .thenCompose(o -> o == OUTBID ? later(attempt + 1) : CompletableFuture.completedFuture(o));
    }

    /** Marks a commit refused because a replica promised a newer round. */
    private static final Outcome OUTBID = Outcome.of(Outcome.Kind.UNKNOWN, "a newer round is under way");

    /** Waits for a chosen value to be safe from the loss of one node (see {@link #chosen}). */
    private final class Securing {
        private final ReplicaState value;
        private final long ballot;
        private final List<Replica> voters = new ArrayList<>();
        private final CompletableFuture<Outcome> result = new CompletableFuture<>();
        private boolean durable;
        private int durableCommits;
        /** The timer that asks for durable commits if the last vote is late; cancelled once every replica voted. */
        private volatile ScheduledFuture<?> grace;

        Securing(ReplicaState value, long ballot) {
            this.value = value;
            this.ballot = ballot;
        }

        void answered(Replica r, Response answer) {
            boolean voted = answer != null && answer.status() == Status.OK;
            if (!voted) {
                commitDurably();
                copyTo(r, value).thenAccept(stored -> {
                    if (stored) {
                        durableCopy(); // a committed copy made with put() is durable too
                    }
                });
                return;
            }
            boolean all;
            boolean sendDurable;
            synchronized (this) {
                voters.add(r);
                all = voters.size() == replicas.size();
                sendDurable = durable;
            }
            if (sendDurable) {
                commit(r, true);
            } else if (all) {
                result.complete(Outcome.chosen(value));
                ScheduledFuture<?> timer = grace;
                if (timer != null) {
                    timer.cancel(false);
                }
                List<Replica> each;
                synchronized (this) {
                    each = new ArrayList<>(voters);
                }
                each.forEach(v -> commit(v, false));
            }
        }

        void commitDurably() {
            List<Replica> each;
            synchronized (this) {
                if (durable || result.isDone()) {
                    return;
                }
                durable = true;
                each = new ArrayList<>(voters);
            }
            each.forEach(v -> commit(v, true));
        }

        private void commit(Replica r, boolean waitDurable) {
            r.commit(key, ballot, value.valueCrc(), value.valueLength(), waitDurable).whenComplete((resp, e) -> {
                boolean ok = e == null && resp.status() == Status.OK;
                if (ok && waitDurable) {
                    durableCopy();
                } else if (waitDurable && e == null && resp.status() == Status.REFUSED) {
                    result.complete(OUTBID);
                } else if (!ok && waitDurable && e != null && !result.isDone() && System.nanoTime() < deadlineNanos) {
                    commit(r, true); // lost on the way: the value is chosen, so asking again is safe
                } else if (!ok) {
                    LOG.debug("Commit on {} did not take ({}); a read or anti-entropy settles it",
                            r.id(), e != null ? e.toString() : resp.status());
                }
            });
        }

        private void durableCopy() {
            boolean secured;
            synchronized (this) {
                secured = ++durableCommits >= 2;
            }
            if (secured) {
                result.complete(Outcome.chosen(value));
            }
        }
    }

    /**
     * A decided value learnt from a replica: every replica that does not hold it committed gets it, those that have
     * answered now and the others once their answer comes.
     */
    private Outcome repairOthers(Outcome chosen, Gather g) {
        ReplicaState value = chosen.value();
        if (value.value() == null) {
            return chosen;
        }
        g.later((r, answer) -> {
            ReplicaState s = answer == null ? null : Answers.stateOf(answer);
            if (s == null || s.state() != KeyState.State.PRESENT && s.state() != KeyState.State.TOMBSTONE) {
                copyTo(r, value);
            }
        });
        return chosen;
    }

    /** Gives a replica the chosen value as committed; true once it holds it (a failure leaves it owed a copy). */
    private CompletableFuture<Boolean> copyTo(Replica r, ReplicaState value) {
        return sendValue(value, b -> r.store(key, value.valueCrc(), b)).handle((resp, e) -> {
            if (e != null || resp.status() != Status.OK && resp.status() != Status.DELETED) {
                owedCopy.accept(r);
                return false;
            }
            return resp.status() == Status.OK;
        });
    }
}
