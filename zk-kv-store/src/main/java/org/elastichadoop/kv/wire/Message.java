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
public sealed interface Message permits PutRequest, KeyRequest, MetaRequest, StatsRequest, Response {
    Op op();

    long requestId();

    boolean isResponse();

    byte flags();

    void encodeBody(ByteBuf out);
}
