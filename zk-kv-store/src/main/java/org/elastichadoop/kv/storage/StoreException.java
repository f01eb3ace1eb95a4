package org.elastichadoop.kv.storage;

import java.io.IOException;

/** Base of the errors the store reports about its own state or the data it holds. */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
