package org.elastichadoop.iscsi.bench;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as the options take them: a number with an optional binary suffix (K, M, G, T; "iB" allowed), as numfmt --from=iec reads them. */
final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?)(?:I?B)?");

    private Sizes() {
    }

    /** Bytes; throws {@link BenchException} naming {@code option} if the text is not a size. */
    static long bytes(String text, String option) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) throw new BenchException("cannot read " + option + " '" + text + "' (a size like 1G, 512M or 1073741824)");
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            case "P" -> 50;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
        return bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }
}
