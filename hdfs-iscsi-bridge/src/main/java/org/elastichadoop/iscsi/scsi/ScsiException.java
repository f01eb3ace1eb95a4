package org.elastichadoop.iscsi.scsi;

/**
 * A command failed with CHECK CONDITION (or another non-GOOD status without sense). Commands throw
 * it; {@link BlockDevice} turns it into a {@link ScsiResult} with sense data in the format the
 * control mode page selects.
 */
public final class ScsiException extends Exception {

    private final int status;
    private final int senseKey;
    private final int ascAscq;
    private final Long information;
    /** Three sense-key-specific bytes (SKSV set) or -1. */
    private final int senseKeySpecific;

    private ScsiException(int status, int senseKey, int ascAscq, Long information, int senseKeySpecific) {
        super(String.format("status %02x key %x asc %04x", status, senseKey, ascAscq), null, false, false);
        this.status = status;
        this.senseKey = senseKey;
        this.ascAscq = ascAscq;
        this.information = information;
        this.senseKeySpecific = senseKeySpecific;
    }

    public static ScsiException check(int senseKey, int ascAscq) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, senseKey, ascAscq, null, -1);
    }

    public static ScsiException reservationConflict() {
        return new ScsiException(ScsiResult.RESERVATION_CONFLICT, 0, 0, null, -1);
    }

    public static ScsiException illegal(int ascAscq) {
        return check(SenseKey.ILLEGAL_REQUEST, ascAscq);
    }

    public static ScsiException invalidOpcode() {
        return fieldInCdb(0, -1);
    }

    /** INVALID FIELD IN CDB pointing at byte {@code index}, bit {@code bit} (-1: whole byte). */
    public static ScsiException invalidFieldInCdb(int index, int bit) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, SenseKey.ILLEGAL_REQUEST, Asc.INVALID_FIELD_IN_CDB,
                null, fieldPointer(true, index, bit));
    }

    private static ScsiException fieldInCdb(int index, int bit) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, SenseKey.ILLEGAL_REQUEST,
                Asc.INVALID_COMMAND_OPERATION_CODE, null, fieldPointer(true, index, bit));
    }

    /** INVALID FIELD IN PARAMETER LIST pointing at byte {@code index}, bit {@code bit} (-1: whole byte). */
    public static ScsiException invalidFieldInParameters(int index, int bit) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, SenseKey.ILLEGAL_REQUEST,
                Asc.INVALID_FIELD_IN_PARAMETER_LIST, null, fieldPointer(false, index, bit));
    }

    public static ScsiException parameterListLength() {
        return illegal(Asc.PARAMETER_LIST_LENGTH_ERROR);
    }

    public static ScsiException lbaOutOfRange() {
        return illegal(Asc.LBA_OUT_OF_RANGE);
    }

    public static ScsiException writeProtected() {
        return check(SenseKey.DATA_PROTECT, Asc.WRITE_PROTECTED);
    }

    /** MISCOMPARE DURING VERIFY OPERATION; {@code offset} is the first differing byte. */
    public static ScsiException miscompare(long offset) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, SenseKey.MISCOMPARE, Asc.MISCOMPARE_DURING_VERIFY,
                offset, -1);
    }

    public static ScsiException withInformation(int senseKey, int ascAscq, long information) {
        return new ScsiException(ScsiResult.CHECK_CONDITION, senseKey, ascAscq, information, -1);
    }

    private static int fieldPointer(boolean inCdb, int index, int bit) {
        int b = 0x80 | (inCdb ? 0x40 : 0) | (bit >= 0 ? 0x08 | (bit & 7) : 0);
        return b << 16 | (index & 0xffff);
    }

    public int status() { return status; }
    public int senseKey() { return senseKey; }
    public int ascAscq() { return ascAscq; }
    public Long information() { return information; }
    public int senseKeySpecific() { return senseKeySpecific; }

    /** The result for this failure, sense in descriptor format if {@code descriptorSense}. */
    public ScsiResult toResult(boolean descriptorSense) {
        if (status != ScsiResult.CHECK_CONDITION) {
            return new ScsiResult(status, null, io.netty.buffer.Unpooled.EMPTY_BUFFER, 0);
        }
        byte[] sense = descriptorSense
                ? Sense.descriptor(senseKey, ascAscq, information, senseKeySpecific)
                : Sense.fixed(senseKey, ascAscq, information, senseKeySpecific);
        return new ScsiResult(ScsiResult.CHECK_CONDITION, sense, io.netty.buffer.Unpooled.EMPTY_BUFFER, 0);
    }
}
