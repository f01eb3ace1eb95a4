package org.elastichadoop.iscsi.login;

/** Authentication failed; the login ends with status 0201 (authentication failure). */
final class AuthenticationException extends Exception {
    AuthenticationException(String message) {
        super(message);
    }
}
