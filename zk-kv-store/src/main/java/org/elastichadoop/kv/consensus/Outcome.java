package org.elastichadoop.kv.consensus;

import org.elastichadoop.kv.wire.ReplicaState;

/**
 * How deciding (or reading) a key ended. CHOSEN carries the key's value (its bytes when the deciding node has
 * them); OTHER_CHOSEN tells a proposer that another value than its own was chosen; NOTHING means no value was chosen, as a read quorum showed; UNKNOWN means too few replicas answered in
 * time to tell, so the key may or may not get (or have) a value; STALE_RING means a replica knows a newer ring than
 * the one the request was planned under: plan again once caught up.
 */
public record Outcome(Kind kind, ReplicaState value, String message) {
    public enum Kind { CHOSEN, OTHER_CHOSEN, NOTHING, DELETED, BAD_REQUEST, UNKNOWN, STALE_RING }

    static Outcome chosen(ReplicaState value) {
        return new Outcome(Kind.CHOSEN, value, null);
    }

    static Outcome of(Kind kind, String message) {
        return new Outcome(kind, null, message);
    }
}
