package org.elastichadoop.iscsi.cli;

/** A mistake the user can fix; printed as one line without a stack trace. */
final class UserException extends Exception {
    UserException(String message) {
        super(message);
    }
}
