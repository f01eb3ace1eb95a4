package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/** Answer to META: int count, then per key (in request order) state byte, int CRC, int length, long timestamp. */
public final class MetaPayload {
    private static final int ENTRY_BYTES = 17;

    private MetaPayload() {
    }

    public static byte[] encode(List<KeyState> states) {
        ByteBuf buf = Unpooled.buffer(4 + ENTRY_BYTES * states.size());
        buf.writeInt(states.size());
        for (KeyState s : states) {
            buf.writeByte(s.state().ordinal());
            buf.writeInt(s.valueCrc());
            buf.writeInt(s.valueLength());
            buf.writeLong(s.timestamp());
        }
        return buf.array();
    }

    public static List<KeyState> decode(byte[] payload) throws MalformedFrameException {
        ByteBuf buf = Unpooled.wrappedBuffer(payload);
        Frames.need(buf, 4, "META count");
        int count = buf.readInt();
        if (count < 0 || count > MetaRequest.MAX_KEYS) {
            throw new MalformedFrameException("META count " + count);
        }
        Frames.need(buf, count * ENTRY_BYTES, "META entries");
        List<KeyState> out = new ArrayList<>(count);
        KeyState.State[] states = KeyState.State.values();
        for (int i = 0; i < count; i++) {
            int s = buf.readUnsignedByte();
            if (s >= states.length) {
                throw new MalformedFrameException("META state " + s);
            }
            out.add(new KeyState(states[s], buf.readInt(), buf.readInt(), buf.readLong()));
        }
        return out;
    }
}
