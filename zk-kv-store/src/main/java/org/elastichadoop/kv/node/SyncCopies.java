package org.elastichadoop.kv.node;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.wire.Status;

/**
 * Gets {@code needed} neighbours to store a copy: starts that many writes down the preference list at
 * once and, for each one that fails or stalls past its timeout, starts the next node of the list. Completes
 * with the nodes that acknowledged, or fails when the list runs out. A neighbour that reports a conflict
 * (the key holds other bytes, or was deleted) or refuses the value (it failed its CRC) ends the attempt at once
 * with that status.
 */
final class SyncCopies {
    private final Iterator<NodeInfo> candidates;
    private final Function<NodeInfo, CompletableFuture<Status>> write;
    private final int needed;
    private final List<NodeInfo> acked = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final CompletableFuture<List<NodeInfo>> result = new CompletableFuture<>();
    private int inFlight;

    private SyncCopies(List<NodeInfo> candidates, int needed, Function<NodeInfo, CompletableFuture<Status>> write) {
        this.candidates = candidates.iterator();
        this.needed = needed;
        this.write = write;
    }

    static CompletableFuture<List<NodeInfo>> run(List<NodeInfo> candidates, int needed,
                                                 Function<NodeInfo, CompletableFuture<Status>> write) {
        SyncCopies s = new SyncCopies(candidates, needed, write);
        if (needed <= 0) {
            s.result.complete(List.of());
        } else {
            s.launch();
        }
        return s.result;
    }

    private void launch() {
        List<NodeInfo> start = new ArrayList<>();
        synchronized (this) {
            while (inFlight + acked.size() < needed && candidates.hasNext()) {
                start.add(candidates.next());
                inFlight++;
            }
            if (inFlight == 0 && acked.size() < needed) {
                result.completeExceptionally(new ReplicationException(Status.UNAVAILABLE,
                        "only " + acked.size() + " of " + needed + " neighbour copies could be made ("
                                + String.join("; ", failures) + ")"));
                return;
            }
        }
        for (NodeInfo n : start) {
            CompletableFuture<Status> f;
            try {
                f = write.apply(n);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((status, error) -> done(n, status, error));
        }
    }

    private void done(NodeInfo node, Status status, Throwable error) {
        synchronized (this) {
            inFlight--;
            if (result.isDone()) {
                return;
            }
            if (error == null && status == Status.OK) {
                acked.add(node);
                if (acked.size() >= needed) {
                    result.complete(List.copyOf(acked));
                }
                return;
            }
            if (status == Status.IMMUTABLE_KEY || status == Status.DELETED || status == Status.BAD_REQUEST) {
                result.completeExceptionally(new ReplicationException(status, "node " + node.id() + " refused the copy: " + status));
                return;
            }
            failures.add(node.id() + ": " + (error != null ? error.getMessage() : status));
        }
        launch();
    }
}
