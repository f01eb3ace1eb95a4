package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.scsi.reservation.Reservations;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A direct-access block device (SBC-3) over a {@link BlockVolume}. Commands are looked up in
 * the {@link CommandTable}; before one runs, this class delivers pending unit attentions,
 * applies reservation conflicts and write protection. Commands that touch the volume run on
 * the I/O executor; the others complete on the caller's thread.
 */
public final class BlockDevice implements LogicalUnit {

    private static final Logger LOG = LogManager.getLogger(BlockDevice.class);

    static final int INQUIRY = 0x12;
    static final int REQUEST_SENSE = 0x03;
    static final int REPORT_LUNS = 0xA0;

    private final BlockVolume volume;
    private final DeviceIdentity identity;
    private final Executor io;
    private final ByteBufAllocator allocator;
    private final CommandTable table;
    private final UnitAttentions unitAttentions = new UnitAttentions();
    private final ModePages modePages = new ModePages();
    private final Reservations reservations;
    private final LbaRangeLock rangeLock = new LbaRangeLock();
    private volatile Supplier<Collection<Long>> luns = () -> List.of(0L);
    /** Commands in flight per nexus, to know who loses tasks to a CLEAR TASK SET. */
    private final ConcurrentHashMap<Nexus, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public BlockDevice(BlockVolume volume, DeviceIdentity identity, Executor io) {
        this(volume, identity, io, PooledByteBufAllocator.DEFAULT);
    }

    public BlockDevice(BlockVolume volume, DeviceIdentity identity, Executor io, ByteBufAllocator allocator) {
        this.volume = volume;
        this.identity = identity;
        this.io = io;
        this.allocator = allocator;
        this.table = StandardCommands.table();
        this.reservations = new Reservations(unitAttentions, identity.relativeTargetPortId());
    }

    public BlockVolume volume() { return volume; }
    public DeviceIdentity identity() { return identity; }
    public ByteBufAllocator allocator() { return allocator; }
    public CommandTable commands() { return table; }
    public UnitAttentions unitAttentions() { return unitAttentions; }
    public ModePages modePages() { return modePages; }
    public Reservations reservations() { return reservations; }
    public LbaRangeLock rangeLock() { return rangeLock; }

    /** The LUNs REPORT LUNS lists when this unit answers it itself (ScsiTarget sets its map). */
    void lunInventory(Supplier<Collection<Long>> inventory) {
        this.luns = inventory;
    }

    public Collection<Long> luns() {
        return luns.get();
    }

    /** Write protected by configuration or by the control mode page's SWP bit. */
    public boolean writeProtected() {
        return identity.readOnly() || modePages.softwareWriteProtect();
    }

    /**
     * Tells nexuses the capacity changed (after the volume grew): CAPACITY DATA HAS CHANGED.
     */
    public void capacityChanged() {
        unitAttentions.raiseAllExcept(null, Asc.CAPACITY_DATA_HAS_CHANGED);
    }

    @Override
    public CompletableFuture<ScsiResult> execute(ScsiCommand command) {
        Task task = new Task(command, this);
        CommandEntry entry;
        try {
            entry = admit(task);
        } catch (ScsiException e) {
            release(command);
            return CompletableFuture.completedFuture(failure(task, e));
        } catch (RuntimeException e) {
            release(command);
            return CompletableFuture.completedFuture(unexpected(task, e));
        }
        if (entry.kind() == CommandEntry.Kind.METADATA) {
            return CompletableFuture.completedFuture(run(entry, task));
        }
        if (entry.kind() == CommandEntry.Kind.READ) {
            ScsiResult cached = runIfCached(entry, task);
            if (cached != null) return CompletableFuture.completedFuture(cached);
        }
        AtomicInteger count = inFlight.computeIfAbsent(command.nexus(), n -> new AtomicInteger());
        count.incrementAndGet();
        try {
            if (entry.kind() == CommandEntry.Kind.READ) {
                CompletableFuture<ScsiResult> started = runAsync(entry, task);
                if (started != null) return started.whenComplete((r, t) -> count.decrementAndGet());
            }
            return CompletableFuture.supplyAsync(() -> run(entry, task), io)
                    .whenComplete((r, t) -> count.decrementAndGet());
        } catch (RejectedExecutionException e) {
            count.decrementAndGet();
            release(command);
            LOG.warn("{}: I/O executor refused {}", volume.describe(), entry.name());
            return CompletableFuture.completedFuture(failure(task,
                    ScsiException.check(SenseKey.HARDWARE_ERROR, Asc.INTERNAL_TARGET_FAILURE)));
        }
    }

    /** A read served on the caller's thread when the volume has the data at hand; null otherwise. */
    private ScsiResult runIfCached(CommandEntry entry, Task task) {
        try {
            ScsiResult result = entry.command().executeIfCached(task);
            if (result != null) release(task.command());
            return result;
        } catch (ScsiException | IOException | RuntimeException e) {
            return run(entry, task); // the I/O-thread path reports it (sense data, log), on this thread
        }
    }

    /**
     * A read the volume fetches without an I/O thread waiting for it (it completes on the store's thread); null when
     * the volume cannot start it so. A read it hands back, or that fails to start, runs on an I/O thread.
     */
    private CompletableFuture<ScsiResult> runAsync(CommandEntry entry, Task task) {
        CompletableFuture<ScsiResult> started;
        try {
            started = entry.command().executeAsync(task);
        } catch (ScsiException | IOException | RuntimeException e) {
            return null; // the I/O-thread path reports it (sense data, log)
        }
        if (started == null) return null;
        return started.handle((r, error) -> {
            if (error == null && r == null) return CompletableFuture.supplyAsync(() -> run(entry, task), io);
            release(task.command());
            return CompletableFuture.completedFuture(error == null ? r : result(entry, task, unwrap(error)));
        }).thenCompose(f -> f);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** Unit attention, lookup, reservation and write-protect checks, in SAM's order. */
    private CommandEntry admit(Task task) throws ScsiException {
        byte[] cdb = task.cdb();
        if (cdb == null || cdb.length == 0) {
            throw ScsiException.invalidOpcode();
        }
        Nexus nexus = task.nexus();
        unitAttentions.register(nexus);
        int opcode = cdb[0] & 0xff;
        if (opcode != INQUIRY && opcode != REPORT_LUNS && opcode != REQUEST_SENSE) {
            int ua = unitAttentions.take(nexus);
            if (ua >= 0) {
                throw ScsiException.check(SenseKey.UNIT_ATTENTION, ua);
            }
        }
        CommandEntry entry = table.lookup(cdb);
        if (!entry.command().supported(this)) {
            throw ScsiException.invalidOpcode();
        }
        if (cdb.length < entry.cdbLength()) {
            throw ScsiException.invalidFieldInCdb(cdb.length - 1, -1);
        }
        reservations.check(nexus, entry.access());
        if (entry.kind() == CommandEntry.Kind.WRITE && writeProtected()) {
            throw ScsiException.writeProtected();
        }
        return entry;
    }

    private ScsiResult run(CommandEntry entry, Task task) {
        try {
            return entry.command().execute(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(entry, task, e);
        } catch (ScsiException | IOException | RuntimeException | Error e) {
            return result(entry, task, e);
        } finally {
            release(task.command());
        }
    }

    /** What a command that failed with {@code e} answers: its sense data, MEDIUM ERROR for a volume's failure. */
    private ScsiResult result(CommandEntry entry, Task task, Throwable e) {
        if (e instanceof ScsiException s) return failure(task, s);
        if (e instanceof IOException || e instanceof java.util.concurrent.TimeoutException) {
            LOG.warn("{}: {} failed: {}", volume.describe(), entry.name(), e.toString());
            int asc = entry.kind() == CommandEntry.Kind.READ ? Asc.UNRECOVERED_READ_ERROR : Asc.WRITE_ERROR;
            return failure(task, ScsiException.check(SenseKey.MEDIUM_ERROR, asc));
        }
        if (e instanceof InterruptedException) return failure(task, ScsiException.check(SenseKey.ABORTED_COMMAND, Asc.NO_ADDITIONAL_SENSE));
        return unexpected(task, e);
    }

    private ScsiResult unexpected(Task task, Throwable e) {
        LOG.error("{}: unexpected failure running CDB {} from {}", volume.describe(),
                hex(task.cdb()), task.nexus().initiatorPort(), e);
        return failure(task, ScsiException.check(SenseKey.HARDWARE_ERROR, Asc.INTERNAL_TARGET_FAILURE));
    }

    private ScsiResult failure(Task task, ScsiException e) {
        ScsiResult r = e.toResult(modePages.descriptorSense());
        return new ScsiResult(r.status(), r.sense(), Unpooled.EMPTY_BUFFER, task.transferLength());
    }

    private static void release(ScsiCommand command) {
        ByteBuf b = command.dataOut();
        if (b != null && b.refCnt() > 0) {
            b.release();
        }
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    @Override
    public void reset(Nexus requester, ResetKind kind) {
        reservations.reset();
        if (kind == ResetKind.TARGET_COLD) {
            modePages.resetToDefaults();
            unitAttentions.raiseAllExcept(requester, Asc.POWER_ON_OCCURRED);
        } else {
            unitAttentions.raiseAllExcept(requester, Asc.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        }
    }

    @Override
    public void taskSetCleared(Nexus requester) {
        inFlight.forEach((nexus, count) -> {
            if (!nexus.equals(requester) && count.get() > 0) {
                unitAttentions.raise(nexus, Asc.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
            }
        });
    }

    @Override
    public void nexusLost(Nexus nexus) {
        reservations.nexusLost(nexus);
        unitAttentions.forget(nexus);
        inFlight.remove(nexus);
    }

    @Override
    public void close() {
        try {
            volume.close();
        } catch (IOException e) {
            LOG.warn("{}: close failed: {}", volume.describe(), e.toString());
        }
    }
}
