package org.elastichadoop.iscsi.volume.log;

/** A catalog operation that failed: the name is taken, the catalog cannot be reached, ... */
public final class CatalogException extends RuntimeException {

    public enum Reason { EXISTS, NOT_FOUND, UNAVAILABLE }

    private final Reason reason;

    public CatalogException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CatalogException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
