package org.elastichadoop.kv.consensus;

import org.elastichadoop.kv.wire.GetPayload;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.MalformedFrameException;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.ReplicaState;
import org.elastichadoop.kv.wire.Response;

/** Reads a replica's answer as the {@link ReplicaState} it reports; null when it reports none (an error, bad bytes). */
final class Answers {
    private static final ReplicaState TOMBSTONE = new ReplicaState(KeyState.State.TOMBSTONE, 0, -1, 0, 0, null);

    private Answers() {
    }

    static ReplicaState stateOf(Response r) {
        try {
            return switch (r.status()) {
                case OK -> r.op() == Op.GET ? committed(GetPayload.decode(r.payload()))
                        : r.payload().length == 0 ? null : ReplicaState.decode(r.payload());
                case REFUSED, PROVISIONAL -> ReplicaState.decode(r.payload());
                case NOT_FOUND -> ReplicaState.EMPTY;
                case DELETED -> TOMBSTONE;
                default -> null;
            };
        } catch (MalformedFrameException e) {
            return null;
        }
    }

    private static ReplicaState committed(GetPayload p) {
        if (KvChecksum.crc32c(p.value()) != p.valueCrc()) {
            return null; // damaged in transit or on the replica's disk: as good as no answer
        }
        return new ReplicaState(KeyState.State.PRESENT, 0, -1, p.valueCrc(), p.value().length, p.value());
    }
}
