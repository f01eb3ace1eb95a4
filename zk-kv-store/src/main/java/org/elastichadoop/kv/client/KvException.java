package org.elastichadoop.kv.client;

import org.elastichadoop.kv.wire.Status;

/** A request the cluster refused or could not serve; {@link #status()} says which. */
public final class KvException extends RuntimeException {
    private final Status status;

    public KvException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
