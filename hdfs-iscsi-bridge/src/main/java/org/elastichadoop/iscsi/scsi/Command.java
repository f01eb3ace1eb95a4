package org.elastichadoop.iscsi.scsi;

import java.io.IOException;

/**
 * One SCSI command's behaviour. Implementations live in {@code scsi.command}, one class per
 * command (covering its 6/10/12/16-byte variants), and are stateless: per-unit state comes
 * from {@link Task#device()}.
 */
public interface Command {

    /**
     * Runs the command. Throws {@link ScsiException} for CHECK CONDITION / RESERVATION CONFLICT
     * and {@link IOException} when the volume fails (reported as MEDIUM ERROR).
     */
    ScsiResult execute(Task task) throws ScsiException, IOException, InterruptedException;

    /**
     * Runs the command on the caller's thread if that needs no waiting (a read the volume has
     * cached); returns null when it cannot, and {@link #execute} then runs on an I/O thread.
     */
    default ScsiResult executeIfCached(Task task) throws ScsiException, IOException {
        return null;
    }

    /**
     * Starts the command on the caller's thread if it can finish without a thread waiting (a read the volume fetches
     * asynchronously); null when it cannot. The future completes with the result, or with null when the command has
     * to run by {@link #execute} on an I/O thread after all; failures are those of {@link #execute}.
     */
    default java.util.concurrent.CompletableFuture<ScsiResult> executeAsync(Task task) throws ScsiException, IOException {
        return null;
    }

    /** Whether {@code device} offers this command (UNMAP needs a thin volume); else INVALID OPCODE. */
    default boolean supported(BlockDevice device) {
        return true;
    }
}
