package org.elastichadoop.kv.node;

import org.elastichadoop.kv.wire.Status;

/** A coordinated write that could not be acknowledged, with the status to answer the client. */
final class ReplicationException extends RuntimeException {
    private final Status status;

    ReplicationException(Status status, String message) {
        super(message);
        this.status = status;
    }

    Status status() {
        return status;
    }
}
