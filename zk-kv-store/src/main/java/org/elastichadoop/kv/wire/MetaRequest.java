package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** "What do you hold for these keys?" Body: int count, then count keys. Used by anti-entropy and stat. */
public record MetaRequest(long requestId, List<byte[]> keys) implements Message {
    public static final int MAX_KEYS = 4096;

    public static MetaRequest decode(long requestId, ByteBuf body) throws MalformedFrameException {
        Frames.need(body, 4, "key count");
        int count = body.readInt();
        if (count < 0 || count > MAX_KEYS) {
            throw new MalformedFrameException("META key count " + count + " outside 0.." + MAX_KEYS);
        }
        List<byte[]> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(Frames.readKey(body));
        }
        Frames.expectEnd(body, Op.META);
        return new MetaRequest(requestId, keys);
    }

    @Override
    public Op op() {
        return Op.META;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeInt(keys.size());
        for (byte[] key : keys) {
            Frames.writeKey(out, key);
        }
    }
}
