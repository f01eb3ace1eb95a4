package org.elastichadoop.kv.wire;

/**
 * The request types of the node protocol. A response carries the type of its request. ACCEPT, PREPARE and
 * COMMIT pass between nodes only: they are the replica's side of deciding a key's value (see the node's
 * Proposer).
 */
public enum Op {
    PUT(1), GET(2), DELETE(3), META(4), STATS(5), ACCEPT(6), PREPARE(7), COMMIT(8);

    private static final Op[] ALL = values();

    private final byte code;

    Op(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Op of(byte code) throws MalformedFrameException {
        for (Op op : ALL) {
            if (op.code == code) {
                return op;
            }
        }
        throw new MalformedFrameException("unknown op " + code);
    }
}
