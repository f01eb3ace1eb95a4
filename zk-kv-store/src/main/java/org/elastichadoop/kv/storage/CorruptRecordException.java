package org.elastichadoop.kv.storage;

/**
 * A stored record failed verification. The store has already forgotten that copy, so a later put of the
 * good bytes (from a replica) is accepted.
 */
public class CorruptRecordException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
