package org.elastichadoop.iscsi.bridge.standby;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.SwitchableUnit;
import org.elastichadoop.iscsi.volume.BlockVolume;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 *
 * <p>This class wires the election to ZooKeeper; {@code LunRoles} decides the role, {@code RoleEvents}
 * feeds it Curator's callbacks, and {@code WriterVolume} opens, serves and closes the volume.
 */
public final class VolumeLun implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(VolumeLun.class);

    /** Parent of the per-volume writer latches; next to {@code ZkVolumeCatalog.DEFAULT_ROOT}. */
    public static final String WRITERS_ROOT = "/elastichadoop/volume-writers";

    /** The LUN's roles; {@code RoleState.ALLOWED} lists the changes between them. */
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
     * @param store          where its entries are kept, as the store describes itself (for status)
     * @param standby        true: wait as a standby; false: serve at start-up (see the class comment)
     * @param takeoverAfter  without standby: how long to wait for a live holder before taking over; null: forever
     * @param sessionTimeout the ZooKeeper session timeout
     */
    public record Settings(String target, long lun, String volume, String store, boolean standby, Duration takeoverAfter,
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
    private final WriterId me;
    private final String label;
    private final String latchPath;
    /** How long a writer that lost ZooKeeper waits for it: past the session timeout, the session is surely gone. */
    private final Duration suspendGrace;
    /** Runs every state change, one at a time; never blocks on ZooKeeper. */
    private final ScheduledExecutorService worker;
    /** Reads who holds the latch (ZooKeeper reads may block while the connection is down). */
    private final ScheduledExecutorService observer;
    private final LunRoles roles;
    private final RoleEvents events;
    private final WriterVolume volume;

    /** Replaced on the worker thread only. */
    private volatile LeaderLatch latch;
    private volatile String writer = "unknown";
    private volatile int participants = 1;

    private VolumeLun(Settings settings, CuratorFramework zk, int blockSize, long sizeBytes, Opener opener,
                      Function<BlockVolume, BlockDevice> devices, WriterId me) {
        this.settings = settings;
        this.zk = zk;
        this.me = me;
        this.label = "Target " + settings.target() + " LUN " + settings.lun() + " (log volume '" + settings.volume() + "')";
        this.latchPath = WRITERS_ROOT + "/" + settings.volume();
        this.suspendGrace = settings.sessionTimeout().plusSeconds(2);
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
        this.roles = new LunRoles(label, settings.standby(), suspendGrace, new Actions());
        this.events = new RoleEvents(roles, () -> zk.getZookeeperClient().isConnected());
        this.volume = new WriterVolume(label, settings.volume(), settings.store(), blockSize, sizeBytes, opener, devices, worker,
                e -> roles.fenced(e.getMessage()));
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
            zk.getConnectionStateListenable().addListener(v.events, v.worker);
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
        return volume.unit();
    }

    public Settings settings() {
        return settings;
    }

    public Role role() {
        return roles.role();
    }

    public Status status() {
        Role r = roles.role();
        return new Status(settings.volume(), r, settings.standby(), roles.holdsLatch(), writer, r == Role.ACTIVE ? roles.epoch() : -1,
                roles.since(), volume.detail());
    }

    // ---- the election ----

    private void join() throws IOException {
        LeaderLatch l = new LeaderLatch(zk, latchPath, me.toString(), LeaderLatch.CloseMode.SILENT);
        l.addListener(events.latchListener(() -> latch == l), worker);
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
        latch.await(100, TimeUnit.MILLISECONDS); // a free latch is ours within milliseconds
        long nextLog = start + TimeUnit.SECONDS.toNanos(2); // not a word about a holder that is only letting go
        while (true) {
            LeaderLatch l = latch;
            if (roles.role() == Role.ACTIVE) return;
            if (l.hasLeadership()) {
                serveNow(false);
                return;
            }
            WriterId holder = holder(l);
            long waited = System.nanoTime() - start;
            if (holder != null && holder.isGoneFromThisHost()) {
                LOG.info("{}: the volume's writer latch is still held by {}, which no longer runs on this host (its ZooKeeper "
                        + "session has not expired yet); taking the volume over now.", label, holder.describe());
                serveNow(true);
                return;
            }
            if (limit != null && waited >= limit.toNanos()) {
                LOG.warn("{}: {} still holds the volume after {} s and is alive. Taking the volume over as a bridge without "
                                + "'standby' does: a new writer epoch fences it, and it steps down to standby at its next flush. "
                                + "If both bridges are meant to serve this volume, give one of them 'standby: true'.",
                        label, holder == null ? "another bridge" : holder.describe(), TimeUnit.NANOSECONDS.toSeconds(waited));
                serveNow(true);
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

    private void serveNow(boolean takeOver) throws IOException, InterruptedException {
        onWorker(() -> {
            roles.serveAtStartup(takeOver);
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

    private void closeLatch(String what) {
        try {
            latch.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: closing {}: {}", label, what, e.toString());
        }
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

    private String writerText() {
        WriterId w = WriterId.parse(writer);
        return w != null ? w.describe() : writer.equals("none") ? "nobody yet" : writer;
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

    /** What the role machine asks for, done with the volume, the latch and the worker. */
    private final class Actions implements RoleActions {
        @Override
        public long open() throws IOException {
            return volume.open();
        }

        @Override
        public void serve() {
            volume.serve();
        }

        @Override
        public void pause() {
            volume.pause();
            LOG.warn("{}: lost the connection to ZooKeeper ({}) while writing the volume. I/O is paused (the LUN answers NOT READY, "
                            + "in transition) until ZooKeeper confirms this bridge still holds the writer latch; if its session expires "
                            + "(within {} s) the bridge stops writing and becomes a standby. Check the network to ZooKeeper.",
                    label, zk.getZookeeperClient().getCurrentConnectionString(), suspendGrace.toSeconds());
        }

        @Override
        public void standBy() {
            volume.standBy();
        }

        /** Closes the volume while still holding the writer latch, then leaves the election. */
        @Override
        public void shutDown() {
            volume.shutDown();
            if (latch != null) closeLatch("the latch");
        }

        @Override
        public void rejoinElection() {
            closeLatch("the old latch");
            try {
                join();
            } catch (IOException e) {
                LOG.error("{}: cannot rejoin the writer election: {}; this LUN stays standby until the bridge restarts.", label, e.getMessage());
            }
        }

        @Override
        public int otherParticipants() {
            return participants - 1;
        }

        @Override
        public void writerMayHaveChanged() {
            try {
                observer.execute(VolumeLun.this::refreshWriter);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            return worker.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
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
            worker.submit(roles::close).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("{}: shutting down: {}", label, e.getCause().toString());
        } finally {
            zk.getConnectionStateListenable().removeListener(events);
            worker.shutdownNow();
            observer.shutdownNow();
        }
    }
}
