package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A logical unit that this target port serves only part of the time: while a {@link BlockDevice}
 * is attached ({@link #serve}) every command goes to it; otherwise the unit behaves like one whose
 * target port is in an SPC-4 asymmetric access state other than active (standby, transitioning or
 * unavailable, 5.16.2.4): INQUIRY (with its VPD pages), MODE SENSE, READ CAPACITY and REPORT LUNS
 * are answered as the serving device would (by {@code standbyAnswers}, a device over a volume that
 * only knows its geometry), REQUEST SENSE returns the not-ready condition, and every other command
 * ends in CHECK CONDITION, NOT READY, LOGICAL UNIT NOT ACCESSIBLE with the ASCQ of the current
 * state (0Bh standby, 0Ah transition, 0Ch unavailable).
 *
 * <p>So a multipath initiator sees the same device on both paths (same identifiers and capacity),
 * and the path whose unit is not served reports itself as standby: dm-multipath's TUR checker
 * calls such a path a "ghost" and sends no I/O to it until it turns ready. When a device is
 * attached, every nexus the unit has seen gets the unit attention ASYMMETRIC ACCESS STATE CHANGED
 * (2Ah/06h), as SPC-4 5.16.2.6 asks.
 *
 * <p>A command that reached a device which stopped serving while it ran, and failed there (a
 * medium, hardware or aborted-command error, e.g. because the volume was fenced), is answered with
 * the not-ready condition instead, so the initiator retries it on another path rather than
 * reporting an I/O error.
 */
public final class SwitchableUnit implements LogicalUnit {

    private static final int INQUIRY = 0x12;
    private static final int REQUEST_SENSE = 0x03;
    private static final int REPORT_LUNS = 0xA0;
    private static final int MODE_SENSE_6 = 0x1A;
    private static final int MODE_SENSE_10 = 0x5A;
    private static final int READ_CAPACITY_10 = 0x25;
    private static final int SERVICE_ACTION_IN_16 = 0x9E;
    private static final int READ_CAPACITY_16 = 0x10;

    private final BlockDevice standbyAnswers;
    private volatile BlockDevice serving;
    private volatile int notReady = Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY;
    private final Set<Nexus> known = ConcurrentHashMap.newKeySet();
    private volatile Supplier<Collection<Long>> luns;

    /**
     * @param standbyAnswers answers INQUIRY, MODE SENSE and READ CAPACITY while no device serves;
     *                       give it the serving device's identity and the volume's geometry
     */
    public SwitchableUnit(BlockDevice standbyAnswers) {
        this.standbyAnswers = standbyAnswers;
    }

    /** Attaches {@code device}: from now on it runs every command. */
    public synchronized void serve(BlockDevice device) {
        Supplier<Collection<Long>> inventory = luns;
        if (inventory != null) device.lunInventory(inventory);
        for (Nexus n : known) {
            device.unitAttentions().register(n);
            device.unitAttentions().raise(n, Asc.ASYMMETRIC_ACCESS_STATE_CHANGED);
        }
        serving = device;
    }

    /**
     * Detaches the serving device (if any) and answers NOT READY with {@code ascAscq} from now on.
     * Returns the device that served, or null.
     */
    public synchronized BlockDevice notReady(int ascAscq) {
        notReady = ascAscq;
        BlockDevice was = serving;
        serving = null;
        return was;
    }

    /** Like {@link #notReady}, but only if the serving device is the one over {@code volume}. */
    public synchronized boolean notReadyIfServing(BlockVolume volume, int ascAscq) {
        BlockDevice d = serving;
        if (d == null || d.volume() != volume) return false;
        notReady(ascAscq);
        return true;
    }

    /** The device serving commands, or null while the unit is not ready. */
    public BlockDevice serving() {
        return serving;
    }

    /** ASC/ASCQ reported while no device serves. */
    public int notReadyCondition() {
        return notReady;
    }

    void lunInventory(Supplier<Collection<Long>> inventory) {
        this.luns = inventory;
        standbyAnswers.lunInventory(inventory);
        BlockDevice d = serving;
        if (d != null) d.lunInventory(inventory);
    }

    @Override
    public CompletableFuture<ScsiResult> execute(ScsiCommand command) {
        known.add(command.nexus());
        BlockDevice d = serving;
        if (d != null) {
            return d.execute(command).thenApply(r -> serving == d || !failedThere(r) ? r : notReadyResult());
        }
        byte[] cdb = command.cdb();
        int opcode = cdb == null || cdb.length == 0 ? -1 : cdb[0] & 0xff;
        if (opcode == REQUEST_SENSE && cdb.length >= 6) {
            release(command);
            return CompletableFuture.completedFuture(requestSense(cdb));
        }
        if (answeredWhileNotReady(cdb, opcode)) {
            return standbyAnswers.execute(command);
        }
        release(command);
        return CompletableFuture.completedFuture(notReadyResult());
    }

    /** The commands SPC-4 lets a standby or transitioning port run, plus READ CAPACITY as LIO does for Linux. */
    private static boolean answeredWhileNotReady(byte[] cdb, int opcode) {
        return switch (opcode) {
            case INQUIRY, REPORT_LUNS, MODE_SENSE_6, MODE_SENSE_10, READ_CAPACITY_10 -> true;
            case SERVICE_ACTION_IN_16 -> cdb.length > 1 && (cdb[1] & 0x1f) == READ_CAPACITY_16;
            default -> false;
        };
    }

    private static boolean failedThere(ScsiResult r) {
        if (r.status() != ScsiResult.CHECK_CONDITION || r.sense() == null || r.sense().length < 3) return false;
        int key = Sense.key(r.sense());
        return key == SenseKey.MEDIUM_ERROR || key == SenseKey.HARDWARE_ERROR || key == SenseKey.ABORTED_COMMAND;
    }

    private ScsiResult notReadyResult() {
        return ScsiException.check(SenseKey.NOT_READY, notReady).toResult(standbyAnswers.modePages().descriptorSense());
    }

    /** REQUEST SENSE while not ready: the not-ready condition as parameter data (SPC-4 6.39). */
    private ScsiResult requestSense(byte[] cdb) {
        boolean descriptor = (cdb[1] & 0x01) != 0;
        byte[] sense = descriptor ? Sense.descriptor(SenseKey.NOT_READY, notReady, null, -1)
                : Sense.fixed(SenseKey.NOT_READY, notReady, null, -1);
        int n = Math.min(sense.length, Cdb.u8(cdb, 4));
        if (n == 0) return ScsiResult.good();
        ByteBuf b = standbyAnswers.allocator().buffer(n, n);
        b.writeBytes(sense, 0, n);
        return new ScsiResult(ScsiResult.GOOD, null, b, n);
    }

    @Override
    public void reset(Nexus requester, ResetKind kind) {
        BlockDevice d = serving;
        if (d != null) d.reset(requester, kind);
        standbyAnswers.reset(requester, kind);
    }

    @Override
    public void taskSetCleared(Nexus requester) {
        BlockDevice d = serving;
        if (d != null) d.taskSetCleared(requester);
    }

    @Override
    public void nexusLost(Nexus nexus) {
        known.remove(nexus);
        BlockDevice d = serving;
        if (d != null) d.nexusLost(nexus);
        standbyAnswers.nexusLost(nexus);
    }

    /**
     * Stops serving (the unit answers NOT READY, unavailable). The volumes belong to whoever
     * attached the devices, who closes them: this does not.
     */
    @Override
    public void close() {
        notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_UNAVAILABLE);
    }

    private static void release(ScsiCommand command) {
        ByteBuf b = command.dataOut();
        if (b != null && b.refCnt() > 0) b.release();
    }
}
