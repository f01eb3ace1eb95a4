package org.elastichadoop.iscsi.bridge.standby;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.SwitchableUnit;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.log.FencedException;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A LUN's {@link SwitchableUnit} and, while this bridge writes the volume, the volume behind it: opens
 * it as writer, attaches it to the unit or leaves the unit NOT READY with the ASCQ of the LUN's role,
 * and closes it. When is for {@link LunRoles} to say. Runs on the LUN's worker thread, but for the
 * report of a fenced write, which comes from an I/O thread.
 */
final class WriterVolume {
    private static final Logger LOG = LogManager.getLogger(WriterVolume.class);

    private final String label;
    private final String name;
    private final String store;
    private final VolumeLun.Opener opener;
    private final Function<BlockVolume, BlockDevice> devices;
    private final StandbyVolume geometry;
    private final SwitchableUnit unit;
    private final Executor worker;
    private final Consumer<FencedException> onFenced;

    // worker thread only
    private FenceAwareVolume volume;
    private BlockDevice device;

    /**
     * @param blockSize the volume's block size, {@code sizeBytes} its size, until it is opened
     * @param onFenced  told on the worker thread when the served volume refuses a write as fenced
     */
    WriterVolume(String label, String name, String store, int blockSize, long sizeBytes, VolumeLun.Opener opener,
                 Function<BlockVolume, BlockDevice> devices, Executor worker, Consumer<FencedException> onFenced) {
        this.label = label;
        this.name = name;
        this.store = store;
        this.opener = opener;
        this.devices = devices;
        this.geometry = new StandbyVolume(name, blockSize, sizeBytes / blockSize);
        this.unit = new SwitchableUnit(devices.apply(geometry));
        this.worker = worker;
        this.onFenced = onFenced;
    }

    SwitchableUnit unit() {
        return unit;
    }

    /** For status: the volume served, or what is known of it. */
    String detail() {
        BlockDevice d = unit.serving();
        return d != null
                ? d.volume().describe() + ", " + d.volume().blockCount() + " blocks of " + d.volume().blockSize()
                : "log volume '" + name + "' on " + store + ", " + geometry.blockCount() + " blocks of " + geometry.blockSize() + ", not served here";
    }

    /** See {@link RoleActions#open}. */
    long open() throws IOException {
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION);
        BlockVolume opened = opener.open();
        FenceAwareVolume v = new FenceAwareVolume(opened, this::fencedOnIoThread);
        BlockDevice d = devices.apply(v);
        volume = v;
        device = d;
        geometry.resize(v.blockSize(), v.blockCount());
        return v.epoch();
    }

    void serve() {
        unit.serve(device);
    }

    void pause() {
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION);
    }

    void standBy() {
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        close("after stepping down");
    }

    void shutDown() {
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_UNAVAILABLE);
        close("at shutdown");
    }

    /** Closes a volume this bridge no longer serves: a last flush and checkpoint, refused by the epoch check if it was fenced. */
    private void close(String when) {
        FenceAwareVolume v = volume;
        volume = null;
        device = null;
        if (v == null) return;
        try {
            v.close();
            LOG.info("{}: volume closed {}.", label, when);
        } catch (FencedException e) {
            LOG.info("{}: volume closed {}; its last flush was refused: {}", label, when, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: closing the volume {} failed: {}. Writes not yet synchronized by initiators may be lost; the next "
                    + "writer recovers everything that was synchronized.", label, when, e.getMessage());
        }
    }

    private void fencedOnIoThread(FenceAwareVolume v, FencedException e) {
        if (unit.notReadyIfServing(v, Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY)) {
            worker.execute(() -> {
                if (volume == v) onFenced.accept(e);
            });
        }
    }
}
