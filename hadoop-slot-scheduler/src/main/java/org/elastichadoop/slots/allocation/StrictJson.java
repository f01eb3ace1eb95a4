package org.elastichadoop.slots.allocation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one way slot znodes are read: a number where a count belongs must be a whole number, and a
 * count cannot be null, so a hand-written "maps": 2.5 is refused rather than read as 2.
 */
public final class StrictJson {
    private StrictJson() {}

    /** A mapper that ignores unknown fields (newer writers may add some) or refuses them (hand-written settings). */
    public static ObjectMapper mapper(boolean refuseUnknownFields) {
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, refuseUnknownFields)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
    }

    /** Jackson's messages run on with the location over several lines: the first is the reason. */
    public static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
