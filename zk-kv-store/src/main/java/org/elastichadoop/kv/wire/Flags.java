package org.elastichadoop.kv.wire;

/** Bits of a request's flags byte. */
public final class Flags {
    /**
     * Set by clients: the receiving node coordinates (stores locally, on its neighbours, acknowledges,
     * then pushes to the other replicas). Clear on node-to-node copies: store here only.
     */
    public static final byte COORDINATE = 1;

    /** On COMMIT: answer only once the commit is durable. */
    public static final byte DURABLE = 2;

    /**
     * On a client's (COORDINATE) GET: read part of the value; the body carries the range after the key, and the
     * answer is a {@link RangePayload}.
     */
    public static final byte RANGE = 4;

    private Flags() {
    }
}
