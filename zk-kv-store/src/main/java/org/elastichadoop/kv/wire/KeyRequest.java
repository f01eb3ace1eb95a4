package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/**
 * GET or DELETE of one key. Body: key (u16 length + bytes), then for a GET between nodes (not flagged COORDINATE)
 * the long ring epoch of the node asking, and for a client's GET flagged {@link Flags#RANGE} the range: long offset
 * (negative: from the end of the value), int length (not negative).
 */
public record KeyRequest(Op op, long requestId, byte flags, byte[] key, long epoch, long offset, int length)
        implements Message {

    public KeyRequest(Op op, long requestId, byte flags, byte[] key) {
        this(op, requestId, flags, key, 0);
    }

    public KeyRequest(Op op, long requestId, byte flags, byte[] key, long epoch) {
        this(op, requestId, flags, key, epoch, 0, 0);
    }

    public KeyRequest {
        if (op != Op.GET && op != Op.DELETE) {
            throw new IllegalArgumentException("KeyRequest carries GET or DELETE, not " + op);
        }
        if ((flags & Flags.RANGE) != 0 && !rangeAllowed(op, flags)) {
            throw new IllegalArgumentException("only a client's (COORDINATE) GET carries a range");
        }
        if (length < 0) {
            throw new IllegalArgumentException("range length " + length + " is negative");
        }
    }

    /** A client's GET of {@code length} bytes from {@code offset} of the value (see {@link Flags#RANGE}). */
    public static KeyRequest range(long requestId, byte[] key, long offset, int length) {
        return new KeyRequest(Op.GET, requestId, (byte) (Flags.COORDINATE | Flags.RANGE), key, 0, offset, length);
    }

    public static KeyRequest decode(Op op, long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        long epoch = 0;
        if (carriesEpoch(op, flags)) {
            Frames.need(body, 8, "ring epoch");
            epoch = body.readLong();
        }
        long offset = 0;
        int length = 0;
        if ((flags & Flags.RANGE) != 0) {
            if (!rangeAllowed(op, flags)) {
                throw new MalformedFrameException("RANGE flag on a " + op + " that is not a client's GET");
            }
            Frames.need(body, 12, "range");
            offset = body.readLong();
            length = body.readInt();
            if (length < 0) {
                throw new MalformedFrameException("range length " + length + " is negative");
            }
        }
        Frames.expectEnd(body, op);
        return new KeyRequest(op, requestId, flags, key, epoch, offset, length);
    }

    private static boolean carriesEpoch(Op op, byte flags) {
        return op == Op.GET && (flags & Flags.COORDINATE) == 0;
    }

    private static boolean rangeAllowed(Op op, byte flags) {
        return op == Op.GET && (flags & Flags.COORDINATE) != 0;
    }

    /** Whether this GET asks for part of the value ({@link #offset}, {@link #length}) rather than all of it. */
    public boolean ranged() {
        return (flags & Flags.RANGE) != 0;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        Frames.writeKey(out, key);
        if (carriesEpoch(op, flags)) {
            out.writeLong(epoch);
        }
        if (ranged()) {
            out.writeLong(offset);
            out.writeInt(length);
        }
    }
}
