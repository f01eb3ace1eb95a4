package org.elastichadoop.iscsi.volume.log.map;

import java.util.Arrays;

/** Unsigned LEB128 varints and zigzag signed ones, into a growing array and out of a byte array. */
public final class Varints {
    private Varints() {
    }

    public static final class Writer {
        private byte[] bytes;
        private int length;

        public Writer(int initialCapacity) {
            bytes = new byte[Math.max(16, initialCapacity)];
        }

        public Writer putInt(int v) {
            room(4);
            bytes[length++] = (byte) (v >>> 24);
            bytes[length++] = (byte) (v >>> 16);
            bytes[length++] = (byte) (v >>> 8);
            bytes[length++] = (byte) v;
            return this;
        }

        /** An unsigned varint: {@code v} must not be negative. */
        public Writer putVarLong(long v) {
            if (v < 0) throw new IllegalArgumentException("negative varint " + v);
            room(10);
            while ((v & ~0x7FL) != 0) {
                bytes[length++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[length++] = (byte) v;
            return this;
        }

        public Writer putSignedVarLong(long v) {
            return putVarLong((v << 1) ^ (v >> 63));
        }

        public Writer putBytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
            return this;
        }

        public int length() {
            return length;
        }

        public byte[] array() {
            return bytes;
        }

        public byte[] toArray() {
            return Arrays.copyOf(bytes, length);
        }

        private void room(int n) {
            if (length + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }

    public static final class Reader {
        private final byte[] bytes;
        private final int limit;
        private int pos;

        public Reader(byte[] bytes, int from, int limit) {
            this.bytes = bytes;
            this.pos = from;
            this.limit = limit;
        }

        public int getInt() {
            need(4);
            int v = ((bytes[pos] & 0xFF) << 24) | ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        public long getVarLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                need(1);
                byte b = bytes[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) return v;
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at " + pos);
        }

        public long getSignedVarLong() {
            long v = getVarLong();
            return (v >>> 1) ^ -(v & 1);
        }

        public byte[] getBytes(int n) {
            need(n);
            byte[] b = Arrays.copyOfRange(bytes, pos, pos + n);
            pos += n;
            return b;
        }

        public int position() {
            return pos;
        }

        public boolean atEnd() {
            return pos == limit;
        }

        private void need(int n) {
            if (pos + n > limit) throw new IllegalArgumentException("truncated at " + pos + " of " + limit);
        }
    }
}
