package org.elastichadoop.kv.storage;

/** How a successful {@link LogStore#put} ended. */
public enum PutOutcome {
    /** A new record was written and is durable. */
    STORED,
    /** The key already held exactly these bytes; that existing record is durable. */
    ALREADY_PRESENT
}
