package org.elastichadoop.iscsi.pdu;

/** Login Request PDU (RFC 7143 section 11.12); {@code pdu.data()} holds the text keys. */
public record LoginRequest(boolean transit, boolean continues, int currentStage, int nextStage,
                           int versionMax, int versionMin, byte[] isid, int tsih, int itt, int cid,
                           int cmdSN, int expStatSN) {

    public static final int SECURITY_NEGOTIATION = 0;
    public static final int OPERATIONAL_NEGOTIATION = 1;
    public static final int FULL_FEATURE_PHASE = 3;

    public static LoginRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        int flags = pdu.flags();
        byte[] isid = new byte[6];
        bhs.getBytes(8, isid);
        return new LoginRequest((flags & 0x80) != 0, (flags & 0x40) != 0, (flags >> 2) & 3, flags & 3,
                bhs.getUnsignedByte(2), bhs.getUnsignedByte(3), isid, bhs.getUnsignedShort(14),
                pdu.itt(), bhs.getUnsignedShort(20), bhs.getInt(24), bhs.getInt(28));
    }

    public String isidHex() {
        return hex(isid);
    }

    public static String hex(byte[] isid) {
        return java.util.HexFormat.of().formatHex(isid);
    }
}
