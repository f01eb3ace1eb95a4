package org.elastichadoop.iscsi.fullfeature;

/** Fixed-format sense data for the few checks the transport makes before a command reaches SCSI. */
final class TransportSense {
    private TransportSense() {}

    static final int ILLEGAL_REQUEST = 0x05;
    static final int ABORTED_COMMAND = 0x0b;

    static byte[] fixed(int key, int asc, int ascq) {
        byte[] sense = new byte[18];
        sense[0] = 0x70;
        sense[2] = (byte) key;
        sense[7] = 10;
        sense[12] = (byte) asc;
        sense[13] = (byte) ascq;
        return sense;
    }
}
