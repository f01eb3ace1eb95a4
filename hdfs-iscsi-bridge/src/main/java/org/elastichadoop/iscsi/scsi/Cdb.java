package org.elastichadoop.iscsi.scsi;

/** Big-endian field access on a CDB or parameter list held in a byte array. */
public final class Cdb {

    private Cdb() {}

    public static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    public static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    public static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | u16(b, at + 1);
    }

    public static long u32(byte[] b, int at) {
        return (long) u16(b, at) << 16 | u16(b, at + 2);
    }

    public static long u64(byte[] b, int at) {
        return u32(b, at) << 32 | u32(b, at + 4);
    }

    public static boolean bit(byte[] b, int at, int bit) {
        return (b[at] & (1 << bit)) != 0;
    }

    /** The service action: the low five bits of byte 1. */
    public static int serviceAction(byte[] cdb) {
        return cdb[1] & 0x1f;
    }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    public static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16));
        put16(b, at + 2, (int) v);
    }

    public static void put64(byte[] b, int at, long v) {
        put32(b, at, v >>> 32);
        put32(b, at + 4, v);
    }
}
