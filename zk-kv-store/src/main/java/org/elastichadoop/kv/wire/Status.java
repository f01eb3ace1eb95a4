package org.elastichadoop.kv.wire;

/** Outcome of a request, first byte of every response body. */
public enum Status {
    OK(0),
    /** The key is neither stored nor deleted on the answering node. */
    NOT_FOUND(1),
    /** The key exists with other bytes; entries never change. */
    IMMUTABLE_KEY(2),
    /** The key was deleted; its tombstone refuses new puts. */
    DELETED(3),
    /** The stored copy failed its checksum; ask another replica. */
    CORRUPT(4),
    /**
     * Too few replicas answered in time. The put was not acknowledged, but it may still take effect: read the
     * key to learn its value.
     */
    UNAVAILABLE(5),
    /** The request broke a rule (key too long, value too big, CRC mismatch in transit). */
    BAD_REQUEST(6),
    /** The node failed for a reason of its own (disk error); its message says which. */
    ERROR(7),
    /** A replica refused a proposal or a promise; the payload is its {@link ReplicaState}. */
    REFUSED(8),
    /**
     * A replica holds a value proposed for the key that is not yet known to be chosen; the payload is its
     * {@link ReplicaState}, value included. Only node-to-node reads answer this.
     */
    PROVISIONAL(9),
    /**
     * The asking node's ring epoch is older than this replica's: a node joined or left since. It is refused so that
     * no decision rests on replicas a key no longer has; the asking node catches up from ZooKeeper.
     */
    STALE_RING(10);

    private static final Status[] ALL = values();

    private final byte code;

    Status(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Status of(byte code) throws MalformedFrameException {
        for (Status s : ALL) {
            if (s.code == code) {
                return s;
            }
        }
        throw new MalformedFrameException("unknown status " + code);
    }
}
