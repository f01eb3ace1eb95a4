package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/**
 * One frame of the node protocol. On the wire:
 * <pre>
 *   int    length     bytes that follow this field
 *   byte   version    {@link Frames#VERSION}
 *   byte   kind       0 request, 1 response
 *   byte   op         {@link Op}
 *   byte   flags      per op, see {@link Flags}
 *   long   requestId  echoed in the response; lets one connection carry many requests
 *   ...    body       per message type
 * </pre>
 */
public sealed interface Message permits PutRequest, KeyRequest, BallotRequest, MetaRequest, StatsRequest, Response {
    Op op();

    long requestId();

    /** Requests are the rule; {@link Response} overrides this. */
    default boolean isResponse() {
        return false;
    }

    default byte flags() {
        return 0;
    }

    /** Set on client requests: the receiving node coordinates the write. See {@link Flags#COORDINATE}. */
    default boolean coordinate() {
        return (flags() & Flags.COORDINATE) != 0;
    }

    void encodeBody(ByteBuf out);

    /** Bytes {@link #encodeBody} writes, or a guess; lets the encoder allocate once for large values. */
    default int bodySizeHint() {
        return 64;
    }
}
