package org.elastichadoop.iscsi.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text keys as iSCSI carries them in Login and Text PDUs (RFC 7143 section 6.1):
 * {@code key=value} pairs in UTF-8, each ended by a NUL byte, in the order given.
 */
public final class TextKeys {
    public static final int MAX_KEY_LENGTH = 63;

    private final Map<String, String> pairs = new LinkedHashMap<>();

    public static TextKeys parse(byte[] text) throws TextFormatException {
        TextKeys keys = new TextKeys();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i < text.length && text[i] != 0) continue;
            if (i > start) {
                String pair = new String(text, start, i - start, StandardCharsets.UTF_8);
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new TextFormatException("text item '" + pair + "' is not key=value");
                String key = pair.substring(0, eq);
                if (key.length() > MAX_KEY_LENGTH) throw new TextFormatException("key '" + key + "' is over 63 characters");
                if (keys.pairs.putIfAbsent(key, pair.substring(eq + 1)) != null) {
                    throw new TextFormatException("key " + key + " given twice");
                }
            } else if (i < text.length) {
                throw new TextFormatException("empty text item (two NULs in a row)");
            }
            start = i + 1;
        }
        return keys;
    }

    public TextKeys put(String key, String value) {
        pairs.put(key, value);
        return this;
    }

    public TextKeys put(String key, long value) {
        return put(key, Long.toString(value));
    }

    public String get(String key) {
        return pairs.get(key);
    }

    public boolean has(String key) {
        return pairs.containsKey(key);
    }

    public Map<String, String> asMap() {
        return pairs;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    public byte[] encode() {
        List<byte[]> parts = new ArrayList<>();
        int size = 0;
        for (var e : pairs.entrySet()) {
            byte[] b = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
            parts.add(b);
            size += b.length + 1;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] b : parts) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length + 1;
        }
        return out;
    }

    public ByteBuf toByteBuf() {
        return Unpooled.wrappedBuffer(encode());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (var e : pairs.entrySet()) {
            if (!s.isEmpty()) s.append(' ');
            boolean secret = e.getKey().equals("CHAP_R") || e.getKey().equals("CHAP_C");
            s.append(e.getKey()).append('=').append(secret ? "..." : e.getValue());
        }
        return s.toString();
    }

    public static final class TextFormatException extends Exception {
        public TextFormatException(String message) {
            super(message);
        }
    }
}
