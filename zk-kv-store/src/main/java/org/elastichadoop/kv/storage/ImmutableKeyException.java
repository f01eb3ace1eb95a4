package org.elastichadoop.kv.storage;

/** A put tried to give an existing key different bytes; the stored value was left untouched. */
public class ImmutableKeyException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ImmutableKeyException(String message) {
        super(message);
    }
}
