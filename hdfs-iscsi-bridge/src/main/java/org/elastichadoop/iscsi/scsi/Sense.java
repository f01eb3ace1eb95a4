package org.elastichadoop.iscsi.scsi;

/** Builds SPC-4 sense data in fixed (70h) or descriptor (72h) format. */
public final class Sense {

    public static final int FIXED_LENGTH = 18;

    private Sense() {}

    /**
     * Fixed format. The information field holds 4 bytes; a larger value leaves VALID clear.
     *
     * @param senseKeySpecific three bytes with SKSV set, or -1
     */
    public static byte[] fixed(int key, int ascAscq, Long information, int senseKeySpecific) {
        byte[] s = new byte[FIXED_LENGTH];
        s[0] = 0x70;
        s[2] = (byte) (key & 0x0f);
        if (information != null && (information >>> 32) == 0) {
            s[0] |= (byte) 0x80;
            putInt(s, 3, information);
        }
        s[7] = FIXED_LENGTH - 8;
        s[12] = (byte) (ascAscq >> 8);
        s[13] = (byte) ascAscq;
        if (senseKeySpecific >= 0) {
            s[15] = (byte) (senseKeySpecific >> 16);
            s[16] = (byte) (senseKeySpecific >> 8);
            s[17] = (byte) senseKeySpecific;
        }
        return s;
    }

    /** Descriptor format with an information descriptor and a sense key specific descriptor as needed. */
    public static byte[] descriptor(int key, int ascAscq, Long information, int senseKeySpecific) {
        int length = 8 + (information != null ? 12 : 0) + (senseKeySpecific >= 0 ? 8 : 0);
        byte[] s = new byte[length];
        s[0] = 0x72;
        s[1] = (byte) (key & 0x0f);
        s[2] = (byte) (ascAscq >> 8);
        s[3] = (byte) ascAscq;
        s[7] = (byte) (length - 8);
        int p = 8;
        if (information != null) {
            s[p] = 0x00;
            s[p + 1] = 0x0a;
            s[p + 2] = (byte) 0x80;
            putInt(s, p + 4, information >>> 32);
            putInt(s, p + 8, information);
            p += 12;
        }
        if (senseKeySpecific >= 0) {
            s[p] = 0x02;
            s[p + 1] = 0x06;
            s[p + 4] = (byte) (senseKeySpecific >> 16);
            s[p + 5] = (byte) (senseKeySpecific >> 8);
            s[p + 6] = (byte) senseKeySpecific;
        }
        return s;
    }

    /** The sense key of fixed or descriptor sense data. */
    public static int key(byte[] sense) {
        return (sense[0] & 0x7f) >= 0x72 ? sense[1] & 0x0f : sense[2] & 0x0f;
    }

    /** ASC << 8 | ASCQ of fixed or descriptor sense data. */
    public static int ascAscq(byte[] sense) {
        return (sense[0] & 0x7f) >= 0x72
                ? (sense[2] & 0xff) << 8 | (sense[3] & 0xff)
                : (sense[12] & 0xff) << 8 | (sense[13] & 0xff);
    }

    private static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >> 24);
        b[at + 1] = (byte) (v >> 16);
        b[at + 2] = (byte) (v >> 8);
        b[at + 3] = (byte) v;
    }
}
