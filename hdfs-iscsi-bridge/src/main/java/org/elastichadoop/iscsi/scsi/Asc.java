package org.elastichadoop.iscsi.scsi;

/**
 * Additional sense code and qualifier pairs this layer reports, as {@code asc << 8 | ascq}.
 */
public final class Asc {
    public static final int NO_ADDITIONAL_SENSE = 0x0000;
    /** NOT READY: LOGICAL UNIT NOT ACCESSIBLE, ASYMMETRIC ACCESS STATE TRANSITION (SPC-4 5.16.2.5). */
    public static final int LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION = 0x040A;
    /** NOT READY: LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE (SPC-4 5.16.2.4.4). */
    public static final int LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY = 0x040B;
    /** NOT READY: LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE (SPC-4 5.16.2.4.5). */
    public static final int LOGICAL_UNIT_NOT_ACCESSIBLE_UNAVAILABLE = 0x040C;
    public static final int WRITE_ERROR = 0x0C00;
    public static final int INVALID_FIELD_IN_COMMAND_IU = 0x0E03;
    public static final int UNRECOVERED_READ_ERROR = 0x1100;
    public static final int PARAMETER_LIST_LENGTH_ERROR = 0x1A00;
    public static final int MISCOMPARE_DURING_VERIFY = 0x1D00;
    public static final int INVALID_COMMAND_OPERATION_CODE = 0x2000;
    public static final int LBA_OUT_OF_RANGE = 0x2100;
    public static final int INVALID_FIELD_IN_CDB = 0x2400;
    public static final int LOGICAL_UNIT_NOT_SUPPORTED = 0x2500;
    public static final int INVALID_FIELD_IN_PARAMETER_LIST = 0x2600;
    public static final int PARAMETER_NOT_SUPPORTED = 0x2601;
    public static final int INVALID_RELEASE_OF_PERSISTENT_RESERVATION = 0x2604;
    public static final int WRITE_PROTECTED = 0x2700;
    public static final int POWER_ON_RESET = 0x2900;
    public static final int POWER_ON_OCCURRED = 0x2901;
    public static final int BUS_DEVICE_RESET_FUNCTION_OCCURRED = 0x2903;
    public static final int MODE_PARAMETERS_CHANGED = 0x2A01;
    public static final int RESERVATIONS_PREEMPTED = 0x2A03;
    public static final int RESERVATIONS_RELEASED = 0x2A04;
    public static final int REGISTRATIONS_PREEMPTED = 0x2A05;
    public static final int ASYMMETRIC_ACCESS_STATE_CHANGED = 0x2A06;
    public static final int CAPACITY_DATA_HAS_CHANGED = 0x2A09;
    public static final int COMMANDS_CLEARED_BY_ANOTHER_INITIATOR = 0x2F00;
    public static final int SAVING_PARAMETERS_NOT_SUPPORTED = 0x3900;
    public static final int MEDIUM_NOT_PRESENT = 0x3A00;
    public static final int INTERNAL_TARGET_FAILURE = 0x4400;
    public static final int INSUFFICIENT_REGISTRATION_RESOURCES = 0x5504;

    private Asc() {}
}
