package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What a replica holds and has promised for one key, as it answers ACCEPT, PREPARE, COMMIT and node-to-node
 * GET. Body: state byte ({@link KeyState.State} ordinal), long ballot of a provisional value (0 otherwise),
 * long highest promised ballot (-1 for none), int CRC32C and int length of the value held, then the value's
 * bytes when the answer carries them (PREPARE and GET), to the end.
 */
public record ReplicaState(KeyState.State state, long ballot, long promised, int valueCrc, int valueLength, byte[] value) {
    private static final int FIXED_BYTES = 1 + 8 + 8 + 4 + 4;

    public static final ReplicaState EMPTY = new ReplicaState(KeyState.State.ABSENT, 0, -1, 0, 0, null);

    public boolean holds(int crc, int length) {
        return (state == KeyState.State.PRESENT || state == KeyState.State.PROVISIONAL)
                && valueCrc == crc && valueLength == length;
    }

    public byte[] encode() {
        int valueBytes = value == null ? 0 : value.length;
        byte[] out = new byte[FIXED_BYTES + valueBytes];
        ByteBuf buf = Unpooled.wrappedBuffer(out);
        buf.writerIndex(0);
        buf.writeByte(state.ordinal());
        buf.writeLong(ballot);
        buf.writeLong(promised);
        buf.writeInt(valueCrc);
        buf.writeInt(valueLength);
        if (value != null) {
            buf.writeBytes(value);
        }
        return out;
    }

    public static ReplicaState decode(byte[] payload) throws MalformedFrameException {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Frames.need(buf, FIXED_BYTES, "replica state");
        int s = buf.readUnsignedByte();
        KeyState.State[] states = KeyState.State.values();
        if (s >= states.length) {
            throw new MalformedFrameException("replica state " + s);
        }
        long ballot = buf.readLong();
        long promised = buf.readLong();
        int crc = buf.readInt();
        int length = buf.readInt();
        byte[] value = length == 0 ? new byte[0] : null;
        if (buf.isReadable()) {
            if (buf.readableBytes() != length) {
                throw new MalformedFrameException("replica state carries " + buf.readableBytes() + " value bytes, not " + length);
            }
            value = new byte[length];
            buf.readBytes(value);
        }
        return new ReplicaState(states[s], ballot, promised, crc, length, value);
    }
}
