package org.elastichadoop.kv.consensus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.Status;

/**
 * Sends one request to each replica at once and completes as soon as the answers so far settle the question
 * ({@code enough}), or once every replica has answered or failed. Replicas that fail (unreachable, timed out)
 * stay unanswered; requests still out when it completes go on, and {@link #later} sees their answers.
 */
final class Gather {
    private final List<Replica> replicas;
    private final List<CompletableFuture<Response>> requests = new ArrayList<>();
    private final Response[] answers;
    private int settled;
    private final CompletableFuture<Gather> done = new CompletableFuture<>();

    private Gather(List<Replica> replicas) {
        this.replicas = replicas;
        this.answers = new Response[replicas.size()];
    }

    static CompletableFuture<Gather> ask(List<Replica> replicas, Function<Replica, CompletableFuture<Response>> request,
                                         Predicate<Gather> enough) {
        Gather g = new Gather(replicas);
        for (Replica r : replicas) {
            CompletableFuture<Response> f;
            try {
                f = request.apply(r);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            g.requests.add(f);
        }
        if (replicas.isEmpty()) {
            g.done.complete(g);
        }
        for (int i = 0; i < replicas.size(); i++) {
            int at = i;
            g.requests.get(i).whenComplete((r, e) -> g.arrived(at, e == null ? r : null, enough));
        }
        return g.done;
    }

    private void arrived(int at, Response r, Predicate<Gather> enough) {
        boolean finish;
        synchronized (this) {
            answers[at] = r;
            settled++;
            finish = !done.isDone() && (settled == replicas.size() || enough.test(this));
        }
        if (finish) {
            done.complete(this);
        }
    }

    /** The replicas that answered, with their answers, in replica order (a snapshot). */
    synchronized List<Answer> answers() {
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] != null) {
                out.add(new Answer(replicas.get(i), answers[i]));
            }
        }
        return out;
    }

    /** Ids of the replicas whose requests are still out. */
    synchronized Set<String> pendingIds() {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < replicas.size(); i++) {
            if (answers[i] == null && !requests.get(i).isDone()) {
                out.add(replicas.get(i).id());
            }
        }
        return out;
    }

    /** Each answering replica's state, by id (answers that report none are left out). */
    Map<String, ReplicaState> states() {
        Map<String, ReplicaState> out = new LinkedHashMap<>();
        for (Answer a : answers()) {
            ReplicaState s = Answers.stateOf(a.response());
            if (s != null) {
                out.put(a.replica().id(), s);
            }
        }
        return out;
    }

    /** Ids of the replicas that answered with this status. */
    Set<String> answeredWith(Status status) {
        Set<String> out = new HashSet<>();
        for (Answer a : answers()) {
            if (a.response().status() == status) {
                out.add(a.replica().id());
            }
        }
        return out;
    }

    /** Runs {@code action} with each replica's answer (null if it failed), now for those in, later for the rest. */
    void later(BiConsumer<Replica, Response> action) {
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            requests.get(i).whenComplete((resp, e) -> action.accept(r, e == null ? resp : null));
        }
    }

    record Answer(Replica replica, Response response) {
    }
}
