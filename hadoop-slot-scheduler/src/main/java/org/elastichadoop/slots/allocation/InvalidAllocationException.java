package org.elastichadoop.slots.allocation;

/** An allocation that must not be applied: malformed JSON, a missing field, an absurd count. */
public final class InvalidAllocationException extends RuntimeException {
    public InvalidAllocationException(String message) {
        super(message);
    }

    public InvalidAllocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
