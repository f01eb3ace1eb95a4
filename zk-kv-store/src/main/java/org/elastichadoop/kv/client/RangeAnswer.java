package org.elastichadoop.kv.client;

import org.elastichadoop.kv.wire.MalformedFrameException;
import org.elastichadoop.kv.wire.RangePayload;
import org.elastichadoop.kv.wire.Status;

/** Reads a ranged GET's answer, refusing one whose lengths do not add up. */
final class RangeAnswer {

    private RangeAnswer() {
    }

    /** The range in {@code payload}, an answer to a request for {@code length} bytes; CORRUPT if it is inconsistent. */
    static ValueRange decode(byte[] payload, int length) {
        RangePayload p;
        try {
            p = RangePayload.decode(payload);
        } catch (MalformedFrameException e) {
            throw corrupt("malformed: " + e.getMessage());
        }
        int got = p.bytes().length;
        if (p.valueLength() < 0 || p.offset() < 0 || p.offset() > p.valueLength()) {
            throw corrupt("offset " + p.offset() + " is outside a value of " + p.valueLength() + " bytes");
        }
        // a range is cut short only by the value's end
        if (got != Math.min(length, p.valueLength() - p.offset())) {
            throw corrupt(got + " bytes from offset " + p.offset() + " of a value of " + p.valueLength()
                    + " bytes, for " + length + " asked");
        }
        return new ValueRange(p.valueLength(), p.valueCrc(), p.timestamp(), p.offset(), p.bytes());
    }

    private static KvException corrupt(String what) {
        return new KvException(Status.CORRUPT, "the range arrived damaged: " + what);
    }
}
