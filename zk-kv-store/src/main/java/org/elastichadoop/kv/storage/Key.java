package org.elastichadoop.kv.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A key in the index: owns its bytes and compares and hashes them by content. */
public final class Key {
    private static final int MAX_RENDERED_BYTES = 64;

    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    static Key copyOf(byte[] bytes) {
        return new Key(bytes.clone());
    }

    /** Takes ownership of {@code bytes}: nobody may modify them afterwards. */
    static Key wrap(byte[] bytes) {
        return new Key(bytes);
    }

    int length() {
        return bytes.length;
    }

    /** The backing bytes, for copying into buffers; never modify them. */
    byte[] bytes() {
        return bytes;
    }

    byte[] toByteArray() {
        return bytes.clone();
    }

    /** Whether {@code buf[at, at + length())} holds exactly this key. */
    boolean isAt(ByteBuffer buf, int at) {
        return buf.limit() - at >= bytes.length && buf.slice(at, bytes.length).equals(ByteBuffer.wrap(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Printable ASCII keys in quotes, others in hex; long keys are cut short. */
    @Override
    public String toString() {
        return render(bytes);
    }

    /** The key for a message: quoted ASCII when printable, hex otherwise, cut after a few dozen bytes. */
    public static String render(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_RENDERED_BYTES);
        String more = bytes.length > shown ? "...(" + bytes.length + " bytes)" : "";
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++) {
            printable = bytes[i] >= 0x20 && bytes[i] < 0x7f;
        }
        if (printable) {
            return '"' + new String(bytes, 0, shown, StandardCharsets.US_ASCII) + '"' + more;
        }
        StringBuilder hex = new StringBuilder(2 + 2 * shown).append("0x");
        for (int i = 0; i < shown; i++) {
            hex.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return hex.append(more).toString();
    }
}
