package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/** Asks a node for its figures (answered as JSON). Empty body. */
public record StatsRequest(long requestId) implements Message {

    public static StatsRequest decode(long requestId, ByteBuf body) throws MalformedFrameException {
        Frames.expectEnd(body, Op.STATS);
        return new StatsRequest(requestId);
    }

    @Override
    public Op op() {
        return Op.STATS;
    }

    @Override
    public void encodeBody(ByteBuf out) {
    }
}
