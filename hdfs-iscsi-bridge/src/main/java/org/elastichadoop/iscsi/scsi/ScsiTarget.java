package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.scsi.command.Inquiry;
import org.elastichadoop.iscsi.scsi.command.ReportLuns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The SCSI target device behind one iSCSI target: routes commands to logical units by LUN.
 * REPORT LUNS is answered here for every LUN; a LUN without a unit answers INQUIRY with
 * peripheral qualifier 011b (no unit) and everything else with LOGICAL UNIT NOT SUPPORTED.
 */
public final class ScsiTarget implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ScsiTarget.class);

    private final Map<Long, LogicalUnit> units = new ConcurrentSkipListMap<>();
    private final DeviceIdentity placeholderIdentity;
    private final ByteBufAllocator allocator;

    /**
     * @param placeholderIdentity vendor/product reported by INQUIRY on a LUN without a unit
     */
    public ScsiTarget(DeviceIdentity placeholderIdentity) {
        this(placeholderIdentity, PooledByteBufAllocator.DEFAULT);
    }

    public ScsiTarget(DeviceIdentity placeholderIdentity, ByteBufAllocator allocator) {
        this.placeholderIdentity = placeholderIdentity;
        this.allocator = allocator;
    }

    public void addUnit(long lun, LogicalUnit unit) {
        if (units.putIfAbsent(lun, unit) != null) {
            throw new IllegalArgumentException("LUN " + lun + " already has a unit");
        }
        if (unit instanceof BlockDevice d) {
            d.lunInventory(this::luns);
        } else if (unit instanceof SwitchableUnit s) {
            s.lunInventory(this::luns);
        }
    }

    public LogicalUnit removeUnit(long lun) {
        return units.remove(lun);
    }

    public Collection<Long> luns() {
        return new ArrayList<>(units.keySet());
    }

    public LogicalUnit unit(long lun) {
        return units.get(lun);
    }

    public CompletableFuture<ScsiResult> execute(ScsiCommand command) {
        byte[] cdb = command.cdb();
        int opcode = cdb.length > 0 ? cdb[0] & 0xff : -1;
        LogicalUnit unit = units.get(command.lun());
        if (opcode == BlockDevice.REPORT_LUNS) {
            release(command);
            return CompletableFuture.completedFuture(reportLuns(cdb));
        }
        if (unit != null) {
            return unit.execute(command);
        }
        release(command);
        return CompletableFuture.completedFuture(noUnit(command));
    }

    private ScsiResult reportLuns(byte[] cdb) {
        try {
            byte[] data = ReportLuns.build(cdb, luns());
            return dataIn(data, Cdb.u32(cdb, 6));
        } catch (ScsiException e) {
            return e.toResult(false);
        }
    }

    private ScsiResult noUnit(ScsiCommand command) {
        byte[] cdb = command.cdb();
        int opcode = cdb.length > 0 ? cdb[0] & 0xff : -1;
        if (opcode == BlockDevice.INQUIRY && cdb.length >= 6) {
            if ((cdb[1] & 0x01) == 0 && cdb[2] == 0) {
                return dataIn(Inquiry.standard(placeholderIdentity, 0x7F), Cdb.u16(cdb, 3));
            }
        }
        if (opcode == BlockDevice.REQUEST_SENSE && cdb.length >= 6) {
            byte[] sense = Sense.fixed(SenseKey.ILLEGAL_REQUEST, Asc.LOGICAL_UNIT_NOT_SUPPORTED, null, -1);
            return dataIn(sense, Cdb.u8(cdb, 4));
        }
        return ScsiException.illegal(Asc.LOGICAL_UNIT_NOT_SUPPORTED).toResult(false);
    }

    private ScsiResult dataIn(byte[] data, long allocation) {
        int n = (int) Math.min(data.length, allocation);
        if (n == 0) {
            return ScsiResult.good();
        }
        ByteBuf b = allocator.buffer(n, n);
        b.writeBytes(data, 0, n);
        return new ScsiResult(ScsiResult.GOOD, null, b, n);
    }

    /** A task management reset for one LUN (LOGICAL UNIT RESET), or all units (TARGET RESET). */
    public void reset(Nexus requester, LogicalUnit.ResetKind kind, Long lun) {
        if (lun != null) {
            LogicalUnit unit = units.get(lun);
            if (unit != null) {
                unit.reset(requester, kind);
            }
            return;
        }
        units.values().forEach(u -> u.reset(requester, kind));
    }

    public void taskSetCleared(Nexus requester, long lun) {
        LogicalUnit unit = units.get(lun);
        if (unit != null) {
            unit.taskSetCleared(requester);
        }
    }

    public void nexusLost(Nexus nexus) {
        units.values().forEach(u -> u.nexusLost(nexus));
    }

    @Override
    public void close() {
        for (LogicalUnit u : units.values()) {
            try {
                u.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a logical unit failed: {}", e.toString());
            }
        }
        units.clear();
    }

    private static void release(ScsiCommand command) {
        if (command.dataOut() != null && command.dataOut().refCnt() > 0) {
            command.dataOut().release();
        }
    }
}
