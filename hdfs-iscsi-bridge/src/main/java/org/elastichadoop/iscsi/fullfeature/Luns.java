package org.elastichadoop.iscsi.fullfeature;

/**
 * The 8-byte SAM LUN field to a LUN number and back. Peripheral (method 00b) and flat (01b) single
 * level addressing are understood; anything else maps to -1, which no logical unit answers.
 */
final class Luns {
    private Luns() {}

    static int decode(long field) {
        int method = (int) (field >>> 62) & 3;
        if ((field & 0x0000ffffffffffffL) != 0) return -1; // second and later levels
        int first = (int) (field >>> 48) & 0x3fff;
        if (method == 0) return first > 0xff ? -1 : first;
        if (method == 1) return first;
        return -1;
    }
}
