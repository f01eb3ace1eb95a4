package org.elastichadoop.iscsi.bridge.standby;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.scsi.Asc;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.SwitchableUnit;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.volume.log.FencedException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One LUN backed by a log volume, served by whichever bridge is the volume's elected writer.
 *
 * <p>Every bridge serving the volume joins a Curator {@link LeaderLatch} at
 * {@code /elastichadoop/volume-writers/<volume>} (beside the catalog's {@code /elastichadoop/volumes});
 * the latch holder opens the volume (taking a new writer epoch, which fences any earlier writer and
 * replays the log) and serves it; the others keep the LUN {@link Role#STANDBY standby}: listed, but
 * answering NOT READY, target port in standby state ({@link SwitchableUnit}). When the writer's
 * ZooKeeper session ends (process killed, host down, long pause) its latch node goes away and the
 * next bridge in line takes over.
 *
 * <p>A writer that loses its ZooKeeper connection stops serving at once ({@link Role#SUSPENDED},
 * NOT READY in transition) and resumes if the same session comes back still holding the latch; if
 * the session expires, or the latch is lost otherwise, it steps down to standby (closing the volume:
 * a final flush that the epoch check refuses if someone else already took over). Epoch fencing stays
 * the safety net: a writer whose flush is refused as fenced steps down too, and gives up its place.
 *
 * <p>A LUN configured without {@code standby} waits at start-up until it holds the latch, for at
 * most {@code takeoverAfter}; if the holder is still there by then (it is alive: a dead one's session
 * would have expired) the bridge takes the volume over anyway, as bridges did before standbys
 * existed, and the fenced holder steps down. A holder that was a process on this host that no longer
 * runs is taken over at once. All state changes run on one thread per LUN.
 */
public final class VolumeLun implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(VolumeLun.class);

    /** Parent of the per-volume writer latches; next to {@code ZkVolumeCatalog.DEFAULT_ROOT}. */
    public static final String WRITERS_ROOT = "/elastichadoop/volume-writers";
    private static final int REJOIN_AFTER_FAILED_OPENS = 3;

    public enum Role {
        /** Another bridge writes the volume (or none yet); the LUN answers NOT READY, standby. */
        STANDBY,
        /** This bridge holds the latch and is recovering the volume; NOT READY, in transition. */
        OPENING,
        /** This bridge writes and serves the volume. */
        ACTIVE,
        /** Writer that lost its ZooKeeper connection: I/O paused until the session is confirmed or lost. */
        SUSPENDED,
        /** The bridge is shutting down. */
        CLOSED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param target         the target's IQN (for logs)
     * @param lun            the LUN (for logs)
     * @param volume         the log volume's name
     * @param standby        true: wait as a standby; false: serve at start-up (see the class comment)
     * @param takeoverAfter  without standby: how long to wait for a live holder before taking over; null: forever
     * @param sessionTimeout the ZooKeeper session timeout
     */
    public record Settings(String target, long lun, String volume, boolean standby, Duration takeoverAfter,
                           Duration sessionTimeout) {}

    /** What {@code iscsi-bridge status} shows. */
    public record Status(String volume, Role role, boolean standbyConfigured, boolean holdsLatch, String writer,
                         long epoch, Instant since, String detail) {}

    /** Opens the volume as its writer (a new epoch). */
    public interface Opener {
        BlockVolume open() throws IOException;
    }

    private final Settings settings;
    private final CuratorFramework zk;
    private final Opener opener;
    private final Function<BlockVolume, BlockDevice> devices;
    private final WriterId me;
    private final StandbyVolume geometry;
    private final SwitchableUnit unit;
    /** Runs every state change, one at a time; never blocks on ZooKeeper. */
    private final ScheduledExecutorService worker;
    /** Reads who holds the latch (ZooKeeper reads may block while the connection is down). */
    private final ScheduledExecutorService observer;
    private final ConnectionStateListener connectionListener = (client, state) -> onConnectionState(state);
    private final String label;
    private final String latchPath;

    // written on the worker thread only
    private volatile LeaderLatch latch;
    private FenceAwareVolume volume;
    private BlockDevice device;
    private boolean forced;
    private boolean servedBefore;
    private int failedOpens;
    private ScheduledFuture<?> suspendTimer;
    private ScheduledFuture<?> retry;

    // also read by the status endpoint
    private volatile boolean leader;
    private volatile Role role = Role.STANDBY;
    private volatile Instant since = Instant.now();
    private volatile String writer = "unknown";
    private volatile int participants = 1;
    private volatile long epoch = -1;

    private VolumeLun(Settings settings, CuratorFramework zk, int blockSize, long sizeBytes, Opener opener,
                      Function<BlockVolume, BlockDevice> devices, WriterId me) {
        this.settings = settings;
        this.zk = zk;
        this.opener = opener;
        this.devices = devices;
        this.me = me;
        this.geometry = new StandbyVolume(settings.volume(), blockSize, sizeBytes / blockSize);
        this.unit = new SwitchableUnit(devices.apply(geometry));
        this.label = "Target " + settings.target() + " LUN " + settings.lun() + " (log volume '" + settings.volume() + "')";
        this.latchPath = WRITERS_ROOT + "/" + settings.volume();
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "writer-election-" + settings.volume());
            t.setDaemon(true);
            return t;
        });
        this.observer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "writer-observer-" + settings.volume());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the volume's writer election. A standby LUN returns at once; otherwise this returns once
     * the bridge serves the volume, and throws if it cannot open it.
     *
     * @param blockSize the volume's block size, {@code sizeBytes} its size (from its catalog record)
     * @param devices   makes the SCSI device for a volume (identity, I/O threads)
     */
    public static VolumeLun start(Settings settings, CuratorFramework zk, int blockSize, long sizeBytes, Opener opener,
                                  Function<BlockVolume, BlockDevice> devices, WriterId me) throws IOException, InterruptedException {
        VolumeLun v = new VolumeLun(settings, zk, blockSize, sizeBytes, opener, devices, me);
        boolean ok = false;
        try {
            zk.getConnectionStateListenable().addListener(v.connectionListener, v.worker);
            v.onWorker(() -> {
                v.join();
                return null;
            });
            if (settings.standby()) {
                v.refreshWriter();
                LOG.info("{}: standby; the volume's writer is {}. The LUN answers NOT READY (target port in standby state) "
                        + "until this bridge becomes the writer.", v.label, v.writerText());
            } else {
                v.awaitWriterRole();
            }
            v.observer.scheduleWithFixedDelay(v::refreshWriter, 5, 5, TimeUnit.SECONDS);
            ok = true;
            return v;
        } finally {
            if (!ok) v.close();
        }
    }

    /** The logical unit to put in the SCSI target. */
    public SwitchableUnit unit() {
        return unit;
    }

    public Settings settings() {
        return settings;
    }

    public Role role() {
        return role;
    }

    public Status status() {
        Role r = role;
        BlockDevice d = unit.serving();
        String detail = d != null
                ? d.volume().describe() + ", " + d.volume().blockCount() + " blocks of " + d.volume().blockSize()
                : "log volume '" + settings.volume() + "', " + geometry.blockCount() + " blocks of " + geometry.blockSize()
                  + ", not served here";
        return new Status(settings.volume(), r, settings.standby(), leader, writer, r == Role.ACTIVE ? epoch : -1, since, detail);
    }

    // ---- start-up ----

    private void join() throws IOException {
        LeaderLatch l = new LeaderLatch(zk, latchPath, me.toString(), LeaderLatch.CloseMode.SILENT);
        l.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (latch == l) onLeader();
            }

            @Override
            public void notLeader() {
                if (latch == l) onNotLeader();
            }
        }, worker);
        latch = l;
        try {
            l.start();
        } catch (Exception e) {
            throw new IOException("cannot join the writer election at " + latchPath + ": " + e.getMessage(), e);
        }
    }

    /** Without standby: wait for the latch (for at most takeoverAfter), then serve. */
    private void awaitWriterRole() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Duration limit = settings.takeoverAfter();
        latch.await(2, TimeUnit.SECONDS); // a free latch is ours within milliseconds
        long nextLog = start;
        while (true) {
            LeaderLatch l = latch;
            if (role == Role.ACTIVE) return;
            if (l.hasLeadership()) {
                onWorker(() -> {
                    activate(true);
                    return null;
                });
                return;
            }
            WriterId holder = holder(l);
            long waited = System.nanoTime() - start;
            if (holder != null && holder.isGoneFromThisHost()) {
                LOG.info("{}: the volume's writer latch is still held by {}, which no longer runs on this host (its ZooKeeper "
                        + "session has not expired yet); taking the volume over now.", label, holder.describe());
                force();
                return;
            }
            if (limit != null && waited >= limit.toNanos()) {
                LOG.warn("{}: {} still holds the volume after {} s and is alive. Taking the volume over as a bridge without "
                                + "'standby' does: a new writer epoch fences it, and it steps down to standby at its next flush. "
                                + "If both bridges are meant to serve this volume, give one of them 'standby: true'.",
                        label, holder == null ? "another bridge" : holder.describe(), TimeUnit.NANOSECONDS.toSeconds(waited));
                force();
                return;
            }
            if (System.nanoTime() >= nextLog) {
                LOG.info("{}: the volume is being served by {}. Waiting for it to stop, or for its ZooKeeper session to expire, "
                                + "before serving it here ({}). To run this bridge as its standby instead, set 'standby: true' on the LUN.",
                        label, holder == null ? "another bridge" : holder.describe(),
                        limit == null ? "as long as it takes" : "at most " + limit.toSeconds() + " s, then this bridge takes it over");
                nextLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            }
            l.await(250, TimeUnit.MILLISECONDS);
        }
    }

    private void force() throws IOException, InterruptedException {
        onWorker(() -> {
            forced = !leader;
            activate(true);
            return null;
        });
    }

    private WriterId holder(LeaderLatch l) {
        try {
            Participant p = l.getLeader();
            return p == null || p.getId().isEmpty() ? null : WriterId.parse(p.getId());
        } catch (Exception e) {
            return null;
        }
    }

    // ---- events (worker thread) ----

    private void onLeader() {
        leader = true;
        refreshWriterSoon();
        switch (role) {
            case STANDBY -> {
                if (settings.standby() || servedBefore) {
                    LOG.info("{}: this bridge is now first in the volume's writer election (the previous writer stopped or its "
                            + "ZooKeeper session ended); taking over: opening the volume, recovery replays its log.", label);
                } else {
                    LOG.info("{}: this bridge is the volume's elected writer; opening the volume.", label);
                }
                activateQuietly();
            }
            case SUSPENDED -> resume();
            case ACTIVE -> {
                if (forced) LOG.info("{}: this bridge, already serving the volume, now holds its writer latch too.", label);
                forced = false;
            }
            default -> {
            }
        }
    }

    private void onNotLeader() {
        leader = false;
        if (role != Role.ACTIVE) return;
        if (!zk.getZookeeperClient().isConnected()) {
            suspend();
        } else {
            stepDown("it lost the volume's writer latch (its latch node in ZooKeeper is gone)");
        }
    }

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> {
                if (role == Role.ACTIVE) suspend();
            }
            case LOST -> {
                if (role == Role.ACTIVE || role == Role.SUSPENDED) {
                    stepDown("its ZooKeeper session expired, so another bridge may be the writer now");
                }
            }
            case RECONNECTED -> {
                // a latch holder resumes when the latch confirms it (onLeader); a bridge that took the
                // volume over without the latch has nothing to wait for
                if (role == Role.SUSPENDED && forced) resume();
            }
            default -> {
            }
        }
    }

    private void onFenced(FenceAwareVolume fenced, FencedException e) {
        if (volume != fenced) return;
        stepDown("another bridge took the volume over with a newer writer epoch (" + e.getMessage() + ")");
        if (leader) {
            LOG.warn("{}: giving up this bridge's place as elected writer, so that the bridge now serving the volume can hold it.", label);
            rejoin();
        }
    }

    // ---- transitions (worker thread) ----

    private void activateQuietly() {
        try {
            activate(false);
        } catch (IOException e) {
            throw new IllegalStateException(e); // not thrown when startup is false
        }
    }

    private void activate(boolean startup) throws IOException {
        if (role == Role.ACTIVE || role == Role.CLOSED) return;
        if (role == Role.SUSPENDED && volume != null) {
            resume();
            return;
        }
        if (!startup && !leader) return;
        cancel(retry);
        setRole(Role.OPENING);
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION);
        long t0 = System.nanoTime();
        try {
            BlockVolume opened = opener.open();
            FenceAwareVolume v = new FenceAwareVolume(opened, this::fencedOnIoThread);
            BlockDevice d = devices.apply(v);
            volume = v;
            device = d;
            epoch = v.epoch();
            failedOpens = 0;
            servedBefore = true;
            geometry.resize(v.blockSize(), v.blockCount());
            unit.serve(d);
            setRole(Role.ACTIVE);
            refreshWriterSoon();
            LOG.info("{}: this bridge is now the volume's writer (epoch {}, opened in {} ms){}.", label, epoch,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    forced ? "; it took the volume over before holding the writer latch, which it gets once the other bridge's "
                            + "latch node goes (that bridge stands down, stops, or its ZooKeeper session expires)" : "");
        } catch (IOException | RuntimeException e) {
            setRole(Role.STANDBY);
            unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
            failedOpens++;
            if (startup) {
                if (e instanceof IOException io) throw io;
                throw (RuntimeException) e;
            }
            scheduleRetry(e);
        }
    }

    private void scheduleRetry(Exception cause) {
        if (failedOpens >= REJOIN_AFTER_FAILED_OPENS && otherParticipants() > 0) {
            LOG.error("{}: cannot open the volume as its writer ({}), {} times in a row. Giving up this bridge's place in the "
                    + "writer election so another bridge can try; check this bridge's access to the zk-kv-store nodes.",
                    label, cause.getMessage(), failedOpens);
            failedOpens = 0;
            rejoin();
            return;
        }
        long delay = Math.min(60, 1L << Math.min(failedOpens, 6));
        LOG.error("{}: cannot open the volume as its writer: {}. The LUN stays not ready; retrying in {} s. Check that "
                + "ZooKeeper and the zk-kv-store nodes are up and that the volume exists (iscsi-bridge volume list).",
                label, cause.getMessage(), delay);
        retry = worker.schedule(() -> {
            if (leader && role == Role.STANDBY) activateQuietly();
        }, delay, TimeUnit.SECONDS);
    }

    private void suspend() {
        setRole(Role.SUSPENDED);
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_TRANSITION);
        long graceMs = settings.sessionTimeout().toMillis() + 2_000;
        LOG.warn("{}: lost the connection to ZooKeeper ({}) while writing the volume. I/O is paused (the LUN answers NOT READY, "
                        + "in transition) until ZooKeeper confirms this bridge still holds the writer latch; if its session expires "
                        + "(within {} s) the bridge stops writing and becomes a standby. Check the network to ZooKeeper.",
                label, zk.getZookeeperClient().getCurrentConnectionString(), graceMs / 1000);
        cancel(suspendTimer);
        suspendTimer = worker.schedule(() -> {
            if (role == Role.SUSPENDED) stepDown("ZooKeeper did not confirm its writer latch within the session timeout");
        }, graceMs, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        cancel(suspendTimer);
        if (device == null) return;
        unit.serve(device);
        setRole(Role.ACTIVE);
        LOG.info("{}: ZooKeeper is back and confirms this bridge {} the volume; serving it again (epoch {}).", label,
                forced ? "still writes" : "still holds the writer latch of", epoch);
    }

    private void stepDown(String reason) {
        cancel(suspendTimer);
        cancel(retry);
        FenceAwareVolume v = volume;
        volume = null;
        device = null;
        forced = false;
        unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_STANDBY);
        setRole(Role.STANDBY);
        epoch = -1;
        LOG.warn("{}: this bridge stopped writing the volume because {}. The LUN answers NOT READY (standby) until this bridge "
                + "is elected writer again; initiators should use the path to the new writer.", label, reason);
        if (v != null) closeVolume(v, "after stepping down");
        refreshWriterSoon();
    }

    private void rejoin() {
        LeaderLatch old = latch;
        leader = false;
        try {
            old.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing the old latch: {}", label, e.toString());
        }
        try {
            join();
        } catch (IOException e) {
            LOG.error("{}: cannot rejoin the writer election: {}; this LUN stays standby until the bridge restarts.", label, e.getMessage());
        }
    }

    /** Closes a volume this bridge no longer serves: a last flush and checkpoint, refused by the epoch check if it was fenced. */
    private void closeVolume(FenceAwareVolume v, String when) {
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
            worker.execute(() -> onFenced(v, e));
        }
    }

    private void setRole(Role r) {
        role = r;
        since = Instant.now();
    }

    /** Reads the latch's participants (blocking ZooKeeper reads: never on the worker). */
    private void refreshWriter() {
        if (!zk.getZookeeperClient().isConnected()) return;
        LeaderLatch l = latch;
        if (l == null) return;
        try {
            var all = l.getParticipants();
            participants = all.size();
            String id = all.stream().filter(Participant::isLeader).map(Participant::getId).findFirst().orElse("");
            writer = id.isEmpty() ? "none" : id;
        } catch (Exception e) {
            LOG.debug("{}: cannot read the writer latch: {}", label, e.toString());
        }
    }

    private void refreshWriterSoon() {
        try {
            observer.execute(this::refreshWriter);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private String writerText() {
        WriterId w = WriterId.parse(writer);
        return w != null ? w.describe() : writer.equals("none") ? "nobody yet" : writer;
    }

    private int otherParticipants() {
        return participants - 1;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) f.cancel(false);
    }

    private <T> T onWorker(Callable<T> task) throws IOException, InterruptedException {
        try {
            return worker.submit(task).get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof InterruptedException ie) throw ie;
            throw new IOException(c);
        }
    }

    // ---- shutdown ----

    /**
     * Stops serving: closes the volume (flush and checkpoint) while still holding the writer latch,
     * then leaves the election, so a standby takes over at once and finds everything stored.
     */
    @Override
    public void close() {
        if (worker.isShutdown()) {
            observer.shutdownNow();
            return;
        }
        try {
            worker.submit(() -> {
                cancel(suspendTimer);
                cancel(retry);
                setRole(Role.CLOSED);
                unit.notReady(Asc.LOGICAL_UNIT_NOT_ACCESSIBLE_UNAVAILABLE);
                FenceAwareVolume v = volume;
                volume = null;
                device = null;
                if (v != null) closeVolume(v, "at shutdown");
                LeaderLatch l = latch;
                if (l != null) {
                    try {
                        l.close();
                    } catch (IOException | RuntimeException e) {
                        LOG.debug("{}: closing the latch: {}", label, e.toString());
                    }
                }
                leader = false;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("{}: shutting down: {}", label, e.getCause().toString());
        } finally {
            zk.getConnectionStateListenable().removeListener(connectionListener);
            worker.shutdownNow();
            observer.shutdownNow();
        }
    }
}
