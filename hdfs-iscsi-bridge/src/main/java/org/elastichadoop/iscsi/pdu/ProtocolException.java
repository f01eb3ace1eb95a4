package org.elastichadoop.iscsi.pdu;

/** A PDU broke the protocol; the reason says how the target answers it. */
public class ProtocolException extends Exception {
    private final RejectReason reason;

    public ProtocolException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
