package org.elastichadoop.iscsi.pdu;

/** Logout Request PDU (RFC 7143 section 11.14). */
public record LogoutRequest(boolean immediate, int reason, int itt, int cid, int cmdSN, int expStatSN) {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    public static LogoutRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        return new LogoutRequest(pdu.immediate(), pdu.flags() & 0x7f, pdu.itt(), bhs.getUnsignedShort(20),
                bhs.getInt(24), bhs.getInt(28));
    }
}
