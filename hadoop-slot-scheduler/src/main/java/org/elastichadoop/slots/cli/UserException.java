package org.elastichadoop.slots.cli;

/** A mistake on the command line or an unreachable peer: printed as one line, no stack trace. */
public final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }
}
