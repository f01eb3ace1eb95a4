package org.elastichadoop.kv.storage;

/** A put named a key that holds a tombstone. */
public class DeletedKeyException extends StoreException {
    private static final long serialVersionUID = 1L;

    public DeletedKeyException(String message) {
        super(message);
    }
}
