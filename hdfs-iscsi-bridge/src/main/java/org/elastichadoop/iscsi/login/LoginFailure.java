package org.elastichadoop.iscsi.login;

/** Ends a login with a status other than success; the message goes to the log. */
final class LoginFailure extends Exception {
    final LoginStatus status;

    LoginFailure(LoginStatus status, String message) {
        super(message);
        this.status = status;
    }
}
