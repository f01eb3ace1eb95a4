package org.elastichadoop.kv.wire;

/** The request types of the node protocol. A response carries the type of its request. */
public enum Op {
    PUT(1), GET(2), DELETE(3), META(4), STATS(5);

    private final byte code;

    Op(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static Op of(byte code) throws MalformedFrameException {
        for (Op op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new MalformedFrameException("unknown op " + code);
    }
}
