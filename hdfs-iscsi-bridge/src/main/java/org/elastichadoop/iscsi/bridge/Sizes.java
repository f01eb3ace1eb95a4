package org.elastichadoop.iscsi.bridge;

import java.util.Locale;

/** Byte sizes as operators write them: 1073741824, 512M, 10G, 1T (powers of 1024). */
public final class Sizes {
    private Sizes() {}

    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("B")) s = s.substring(0, s.length() - 1);
        long unit = 1;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) s = s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(s.trim());
            if (n <= 0) throw new IllegalArgumentException("size must be positive: " + text);
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 1073741824, 512M, 10G)");
        }
    }
}
