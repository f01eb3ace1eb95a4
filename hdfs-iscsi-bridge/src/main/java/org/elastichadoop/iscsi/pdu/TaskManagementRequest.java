package org.elastichadoop.iscsi.pdu;

/** Task Management Function Request PDU (RFC 7143 section 11.5). */
public record TaskManagementRequest(boolean immediate, int function, long lun, int itt,
                                    int referencedTaskTag, int cmdSN, int expStatSN, int refCmdSN) {

    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    public static TaskManagementRequest parse(Pdu pdu) {
        var bhs = pdu.bhs();
        return new TaskManagementRequest(pdu.immediate(), pdu.flags() & 0x7f, pdu.lun(), pdu.itt(),
                bhs.getInt(20), bhs.getInt(24), bhs.getInt(28), bhs.getInt(32));
    }
}
