package org.elastichadoop.iscsi.store;

/** An {@link ImmutableStore} call that did not succeed, and why. */
public final class StoreException extends RuntimeException {

    public enum Reason {
        /** The key holds other bytes. */
        EXISTS,
        /** The key was deleted and cannot be stored again. */
        DELETED,
        /** The store cannot serve the call now (too few nodes, a timeout); a retry may succeed. */
        UNAVAILABLE,
        /** The store refused the call as malformed (e.g. an empty key). */
        REFUSED
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
