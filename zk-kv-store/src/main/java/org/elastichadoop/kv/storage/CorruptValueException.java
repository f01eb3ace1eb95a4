package org.elastichadoop.kv.storage;

/** The value handed to a put does not match the CRC32C the caller gave for it; nothing was written. */
public class CorruptValueException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CorruptValueException(String message) {
        super(message);
    }
}
