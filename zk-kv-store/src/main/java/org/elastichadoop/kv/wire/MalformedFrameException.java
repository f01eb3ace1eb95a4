package org.elastichadoop.kv.wire;

/** A frame that does not follow the protocol. The connection that sent it is closed. */
public final class MalformedFrameException extends Exception {
    public MalformedFrameException(String message) {
        super(message);
    }
}
