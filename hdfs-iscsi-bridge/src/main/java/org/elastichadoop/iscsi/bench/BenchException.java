package org.elastichadoop.iscsi.bench;

/** Why the benchmark cannot go on, said for the person running it; printed as one line, without a stack trace. */
final class BenchException extends RuntimeException {
    BenchException(String message) {
        super(message);
    }
}
