package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/** Constants and field readers shared by the message parsers. */
public final class Frames {
    public static final byte VERSION = 1;
    /** version, kind, op, flags, requestId: the bytes after the length field and before the body. */
    public static final int HEADER_BYTES = 12;
    public static final int MAX_KEY_BYTES = 1024;
    /** Largest frame a node or client accepts (a 32 MiB value plus room for the header). */
    public static final int DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024 + 4096;

    private Frames() {
    }

    /**
     * Frames both ends of a connection: flushes of many small answers gathered into fewer writes,
     * length-prefixed cutting (an oversized length fails at once,
     * before its bytes arrive), message parsing and encoding, then the given handler.
     */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes, ChannelHandler handler) {
        pipeline.addLast("flushes", new FlushConsolidationHandler(64, true));
        LengthFieldBasedFrameDecoder frames = new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4, true);
        frames.setCumulator(new FrameCumulator(maxFrameBytes));
        pipeline.addLast("frames", frames);
        pipeline.addLast("decoder", new MessageDecoder());
        pipeline.addLast("encoder", MessageEncoder.INSTANCE);
        pipeline.addLast("handler", handler);
    }

    static byte[] readKey(ByteBuf body) throws MalformedFrameException {
        need(body, 2, "key length");
        int len = body.readUnsignedShort();
        if (len == 0 || len > MAX_KEY_BYTES) {
            throw new MalformedFrameException("key length " + len + " outside 1.." + MAX_KEY_BYTES);
        }
        need(body, len, "key");
        byte[] key = new byte[len];
        body.readBytes(key);
        return key;
    }

    static void writeKey(ByteBuf out, byte[] key) {
        out.writeShort(key.length);
        out.writeBytes(key);
    }

    static byte[] readSized(ByteBuf body, String what) throws MalformedFrameException {
        need(body, 4, what + " length");
        int len = body.readInt();
        if (len < 0) {
            throw new MalformedFrameException(what + " length " + len + " is negative");
        }
        need(body, len, what);
        byte[] bytes = new byte[len];
        body.readBytes(bytes);
        return bytes;
    }

    static void need(ByteBuf body, int bytes, String what) throws MalformedFrameException {
        if (body.readableBytes() < bytes) {
            throw new MalformedFrameException("frame ends inside " + what);
        }
    }

    static void expectEnd(ByteBuf body, Op op) throws MalformedFrameException {
        if (body.isReadable()) {
            throw new MalformedFrameException(body.readableBytes() + " stray bytes after " + op + " body");
        }
    }
}
