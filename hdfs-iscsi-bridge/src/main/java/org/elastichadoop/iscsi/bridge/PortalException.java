package org.elastichadoop.iscsi.bridge;

/** The portal could not start (address in use, no permission). */
public final class PortalException extends RuntimeException {
    public PortalException(String message, Throwable cause) {
        super(message, cause);
    }
}
