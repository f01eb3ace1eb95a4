package org.elastichadoop.iscsi.login;

/** The initiator broke a negotiation rule; the login fails with an initiator error. */
final class NegotiationException extends Exception {
    NegotiationException(String message) {
        super(message);
    }
}
