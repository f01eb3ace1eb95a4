package org.elastichadoop.iscsi.pdu;

/**
 * Residual overflow/underflow between the initiator's expected data transfer length and what the
 * SCSI command moved (RFC 7143 section 11.4.5).
 */
public record Residual(int flags, int count) {
    public static final int OVERFLOW = 0x04;
    public static final int UNDERFLOW = 0x02;
    public static final Residual NONE = new Residual(0, 0);

    public static Residual of(long expected, long spdtl) {
        if (spdtl > expected) return new Residual(OVERFLOW, (int) Math.min(spdtl - expected, 0xffffffffL));
        if (spdtl < expected) return new Residual(UNDERFLOW, (int) (expected - spdtl));
        return NONE;
    }
}
