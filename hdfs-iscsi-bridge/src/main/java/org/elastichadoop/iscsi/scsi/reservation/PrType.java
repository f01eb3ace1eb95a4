package org.elastichadoop.iscsi.scsi.reservation;

/** Persistent reservation types (SPC-4 table 211). */
public enum PrType {
    WRITE_EXCLUSIVE(0x1, 0x0200),
    EXCLUSIVE_ACCESS(0x3, 0x0800),
    WRITE_EXCLUSIVE_REGISTRANTS_ONLY(0x5, 0x2000),
    EXCLUSIVE_ACCESS_REGISTRANTS_ONLY(0x6, 0x4000),
    WRITE_EXCLUSIVE_ALL_REGISTRANTS(0x7, 0x8000),
    EXCLUSIVE_ACCESS_ALL_REGISTRANTS(0x8, 0x0001);

    /** The TYPE field code. */
    public final int code;
    /** This type's bit in REPORT CAPABILITIES' PERSISTENT RESERVATION TYPE MASK. */
    public final int capabilityBit;

    PrType(int code, int capabilityBit) {
        this.code = code;
        this.capabilityBit = capabilityBit;
    }

    public static PrType of(int code) {
        for (PrType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    public boolean allRegistrants() {
        return this == WRITE_EXCLUSIVE_ALL_REGISTRANTS || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    /** Whether every registrant (not only the holder) may access the medium. */
    public boolean registrantsHaveAccess() {
        return this != WRITE_EXCLUSIVE && this != EXCLUSIVE_ACCESS;
    }

    public boolean exclusiveAccess() {
        return this == EXCLUSIVE_ACCESS || this == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || this == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }
}
