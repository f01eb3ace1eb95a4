package org.elastichadoop.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mode pages of a logical unit, shared by all nexuses: caching (08h), control (0Ah) and
 * informational exceptions control (1Ch). Each page has current values, default values and a
 * mask of the bits MODE SELECT may change. Saved values are not supported.
 */
public final class ModePages {

    public static final int CACHING = 0x08;
    public static final int CONTROL = 0x0A;
    public static final int INFORMATIONAL_EXCEPTIONS = 0x1C;
    public static final int ALL_PAGES = 0x3F;

    /** Page control field of MODE SENSE. */
    public static final int PC_CURRENT = 0;
    public static final int PC_CHANGEABLE = 1;
    public static final int PC_DEFAULT = 2;
    public static final int PC_SAVED = 3;

    private static final int WCE = 0x04;
    private static final int D_SENSE = 0x04;
    private static final int SWP = 0x08;

    private final Map<Integer, byte[]> current = new TreeMap<>();
    private final Map<Integer, byte[]> defaults = new TreeMap<>();
    private final Map<Integer, byte[]> changeable = new TreeMap<>();

    public ModePages() {
        byte[] caching = new byte[20];
        caching[0] = CACHING;
        caching[1] = 0x12;
        caching[2] = WCE;
        byte[] cachingMask = new byte[20];
        cachingMask[2] = WCE;
        define(caching, cachingMask);

        byte[] control = new byte[12];
        control[0] = CONTROL;
        control[1] = 0x0a;
        control[3] = 0x10;             // queue algorithm modifier 1: unrestricted reordering
        byte[] controlMask = new byte[12];
        controlMask[2] = D_SENSE;
        controlMask[4] = SWP;
        define(control, controlMask);

        byte[] iec = new byte[12];
        iec[0] = INFORMATIONAL_EXCEPTIONS;
        iec[1] = 0x0a;
        iec[2] = 0x08;                 // DEXCPT: no informational exceptions reported
        define(iec, new byte[12]);
    }

    private void define(byte[] page, byte[] mask) {
        current.put(page[0] & 0x3f, page.clone());
        defaults.put(page[0] & 0x3f, page.clone());
        changeable.put(page[0] & 0x3f, mask);
    }

    public synchronized boolean descriptorSense() {
        return (current.get(CONTROL)[2] & D_SENSE) != 0;
    }

    public synchronized boolean softwareWriteProtect() {
        return (current.get(CONTROL)[4] & SWP) != 0;
    }

    public synchronized boolean writeCacheEnabled() {
        return (current.get(CACHING)[2] & WCE) != 0;
    }

    public boolean exists(int pageCode) {
        return current.containsKey(pageCode);
    }

    /** One page (or all pages for {@link #ALL_PAGES}) as MODE SENSE returns them. */
    public synchronized byte[] sense(int pageCode, int pageControl) {
        Map<Integer, byte[]> source = switch (pageControl) {
            case PC_CURRENT -> current;
            case PC_CHANGEABLE -> changeable;
            case PC_DEFAULT -> defaults;
            default -> throw new IllegalArgumentException("page control " + pageControl);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<Integer, byte[]> e : source.entrySet()) {
            if (pageCode == ALL_PAGES || pageCode == e.getKey()) {
                byte[] page = e.getValue().clone();
                // the changeable mask must still say which page it is
                page[0] = (byte) e.getKey().intValue();
                page[1] = current.get(e.getKey())[1];
                out.writeBytes(page);
            }
        }
        return out.toByteArray();
    }

    /**
     * Applies one page from a MODE SELECT parameter list, starting at {@code offset} in
     * {@code params}; returns its length. Bits outside the changeable mask must equal the current
     * values. Returns whether anything changed through {@code changed[0]}.
     */
    public synchronized int select(byte[] params, int offset, int end, boolean[] changed) throws ScsiException {
        if (end - offset < 2) {
            throw ScsiException.parameterListLength();
        }
        if ((params[offset] & 0x40) != 0) {
            // sub-page format: none of our pages has sub-pages
            throw ScsiException.invalidFieldInParameters(offset, 6);
        }
        int code = params[offset] & 0x3f;
        byte[] cur = current.get(code);
        if (cur == null) {
            throw ScsiException.invalidFieldInParameters(offset, -1);
        }
        int length = (params[offset + 1] & 0xff) + 2;
        if (length != cur.length) {
            throw ScsiException.invalidFieldInParameters(offset + 1, -1);
        }
        if (offset + length > end) {
            throw ScsiException.parameterListLength();
        }
        byte[] mask = changeable.get(code);
        byte[] next = cur.clone();
        for (int i = 2; i < length; i++) {
            byte b = params[offset + i];
            if (((b ^ cur[i]) & ~mask[i]) != 0) {
                throw ScsiException.invalidFieldInParameters(offset + i, -1);
            }
            next[i] = (byte) ((cur[i] & ~mask[i]) | (b & mask[i]));
        }
        if (!Arrays.equals(next, cur)) {
            current.put(code, next);
            changed[0] = true;
        }
        return length;
    }

    /** Back to the default values (a hard reset). */
    public synchronized void resetToDefaults() {
        for (Map.Entry<Integer, byte[]> e : defaults.entrySet()) {
            current.put(e.getKey(), e.getValue().clone());
        }
    }
}
