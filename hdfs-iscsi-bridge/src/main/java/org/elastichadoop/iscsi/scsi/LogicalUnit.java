package org.elastichadoop.iscsi.scsi;

import java.util.concurrent.CompletableFuture;

/**
 * A SCSI logical unit: runs commands for any number of nexuses at once.
 *
 * <p>{@link #execute} never throws: every failure becomes a CHECK CONDITION with sense data. It
 * may complete on any thread; blocking volume I/O runs off the caller's thread.
 */
public interface LogicalUnit extends AutoCloseable {

    CompletableFuture<ScsiResult> execute(ScsiCommand command);

    /**
     * A task management reset reached this unit (LOGICAL UNIT RESET, TARGET WARM/COLD RESET):
     * releases SPC-2 reservations and raises the reset unit attention for every nexus except
     * the one that asked (SAM-5).
     */
    void reset(Nexus requester, ResetKind kind);

    /**
     * CLEAR TASK SET from {@code requester}: other nexuses get COMMANDS CLEARED BY ANOTHER
     * INITIATOR when their tasks were aborted.
     */
    default void taskSetCleared(Nexus requester) {}

    /** The nexus is gone (its session ended): SPC-2 reservations it held are released. */
    void nexusLost(Nexus nexus);

    @Override
    void close();

    enum ResetKind { LOGICAL_UNIT, TARGET_WARM, TARGET_COLD }
}
