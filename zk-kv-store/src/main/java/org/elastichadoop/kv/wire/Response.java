package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Answer to one request. Body: status byte, then a payload whose meaning depends on op and status:
 * {@link GetPayload} for a found GET ({@link RangePayload} for one flagged {@link Flags#RANGE}), {@link MetaPayload}
 * for META, JSON for STATS, a UTF-8 message for any status other than OK and NOT_FOUND, empty otherwise.
 */
public record Response(Op op, long requestId, Status status, byte[] payload) implements Message {
    private static final byte[] EMPTY = new byte[0];

    public static Response ok(Op op, long requestId) {
        return new Response(op, requestId, Status.OK, EMPTY);
    }

    public static Response ok(Op op, long requestId, byte[] payload) {
        return new Response(op, requestId, Status.OK, payload);
    }

    public static Response of(Op op, long requestId, Status status) {
        return new Response(op, requestId, status, EMPTY);
    }

    public static Response error(Op op, long requestId, Status status, String message) {
        return new Response(op, requestId, status, message.getBytes(StandardCharsets.UTF_8));
    }

    public static Response decode(Op op, long requestId, ByteBuf body) throws MalformedFrameException {
        Frames.need(body, 1, "status");
        Status status = Status.of(body.readByte());
        byte[] payload = new byte[body.readableBytes()];
        body.readBytes(payload);
        return new Response(op, requestId, status, payload);
    }

    /** The same answer to another request (answers built before the request's id is known carry 0). */
    public Response withId(long id) {
        return new Response(op, id, status, payload);
    }

    public String message() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isResponse() {
        return true;
    }

    @Override
    public int bodySizeHint() {
        return 1 + payload.length;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeByte(status.code());
        out.writeBytes(payload);
    }
}
