package org.elastichadoop.iscsi.bridge.standby;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The role machine of one LUN: decides what each event of the writer election means for the LUN's
 * {@link Role}, changes it through {@link RoleState#transition}, and asks {@link RoleActions} for the
 * change's side effects. It knows nothing of ZooKeeper: {@link RoleEvents} turns Curator's callbacks
 * into its events. The policy is the one described on {@link VolumeLun}.
 *
 * <p>Every event runs on the LUN's worker thread; {@link #role}, {@link #since}, {@link #holdsLatch}
 * and {@link #epoch} may be read from any thread.
 */
final class LunRoles {
    private static final Logger LOG = LogManager.getLogger(LunRoles.class);

    static final int REJOIN_AFTER_FAILED_OPENS = 3;

    private final String label;
    private final boolean standbyConfigured;
    private final Duration suspendGrace;
    private final RoleActions actions;
    private final RoleState role;

    private volatile boolean leader;
    private volatile long epoch = -1;
    /** Serving without holding the latch: taken over at start-up from a holder that is still there. */
    private boolean forced;
    private boolean servedBefore;
    private int failedOpens;
    private Future<?> suspendTimer;
    private Future<?> retry;

    /**
     * @param standbyConfigured the LUN was configured as a standby (only changes what is logged)
     * @param suspendGrace      how long a writer that lost ZooKeeper stays paused before it steps down
     */
    LunRoles(String label, boolean standbyConfigured, Duration suspendGrace, RoleActions actions) {
        this.label = label;
        this.standbyConfigured = standbyConfigured;
        this.suspendGrace = suspendGrace;
        this.actions = actions;
        this.role = new RoleState(label, Role.STANDBY);
    }

    Role role() {
        return role.get();
    }

    Instant since() {
        return role.since();
    }

    /** Whether this bridge holds the writer latch, as the latch last told. */
    boolean holdsLatch() {
        return leader;
    }

    /** The epoch of the volume this bridge writes, or -1. */
    long epoch() {
        return epoch;
    }

    // ---- events ----

    void leaderGained() {
        leader = true;
        actions.writerMayHaveChanged();
        switch (role.get()) {
            case STANDBY -> {
                if (standbyConfigured || servedBefore) {
                    LOG.info("{}: this bridge is now first in the volume's writer election (the previous writer stopped or its "
                            + "ZooKeeper session ended); taking over: opening the volume, recovery replays its log.", label);
                } else {
                    LOG.info("{}: this bridge is the volume's elected writer; opening the volume.", label);
                }
                openOrRetry();
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

    /** @param connected whether ZooKeeper is reachable at this moment */
    void leaderLost(boolean connected) {
        leader = false;
        if (role.get() != Role.ACTIVE) return;
        if (connected) {
            stepDown(Role.ACTIVE, "it lost the volume's writer latch (its latch node in ZooKeeper is gone)");
        } else {
            suspend();
        }
    }

    void connectionSuspended() {
        if (role.get() == Role.ACTIVE) suspend();
    }

    void connectionLost() {
        Role r = role.get();
        if (r == Role.ACTIVE || r == Role.SUSPENDED) {
            stepDown(r, "its ZooKeeper session expired, so another bridge may be the writer now");
        }
    }

    void reconnected() {
        // a latch holder resumes when the latch confirms it (leaderGained); a bridge that took the
        // volume over without the latch has nothing to wait for
        if (role.get() == Role.SUSPENDED && forced) resume();
    }

    /** The volume this bridge serves refused a write: another bridge took it over with a newer epoch. */
    void fenced(String detail) {
        Role r = role.get();
        if (r != Role.ACTIVE && r != Role.SUSPENDED) return;
        if (!stepDown(r, "another bridge took the volume over with a newer writer epoch (" + detail + ")")) return;
        if (leader) {
            LOG.warn("{}: giving up this bridge's place as elected writer, so that the bridge now serving the volume can hold it.", label);
            rejoin();
        }
    }

    /**
     * Start-up without standby: serves the volume now, as the latch holder or, with {@code takeOver},
     * before holding the latch. Throws if the volume cannot be opened; no retry is scheduled then.
     */
    void serveAtStartup(boolean takeOver) throws IOException {
        if (takeOver) forced = !leader;
        switch (role.get()) {
            case STANDBY -> {
                Exception e = open();
                if (e instanceof IOException io) throw io;
                if (e != null) throw (RuntimeException) e;
            }
            case SUSPENDED -> resume();
            default -> {
            }
        }
    }

    /** The bridge shuts down; a second call does nothing. */
    void close() {
        Role r = role.get();
        if (r == Role.CLOSED || !role.transition(r, Role.CLOSED)) return;
        cancelTimers();
        leader = false;
        actions.shutDown();
    }

    // ---- changes of role ----

    /** STANDBY to OPENING, then ACTIVE or back to STANDBY; returns why the volume could not be opened, or null. */
    private Exception open() {
        if (!role.transition(Role.STANDBY, Role.OPENING)) return null;
        cancel(retry);
        long t0 = System.nanoTime();
        long opened;
        try {
            opened = actions.open();
        } catch (IOException | RuntimeException e) {
            role.transition(Role.OPENING, Role.STANDBY);
            actions.standBy();
            failedOpens++;
            return e;
        }
        epoch = opened;
        failedOpens = 0;
        servedBefore = true;
        if (!role.transition(Role.OPENING, Role.ACTIVE)) return null;
        actions.serve();
        actions.writerMayHaveChanged();
        LOG.info("{}: this bridge is now the volume's writer (epoch {}, opened in {} ms){}.", label, epoch,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                forced ? "; it took the volume over before holding the writer latch, which it gets once the other bridge's "
                        + "latch node goes (that bridge stands down, stops, or its ZooKeeper session expires)" : "");
        return null;
    }

    private void openOrRetry() {
        Exception e = open();
        if (e != null) scheduleRetry(e);
    }

    private void scheduleRetry(Exception cause) {
        if (failedOpens >= REJOIN_AFTER_FAILED_OPENS && actions.otherParticipants() > 0) {
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
        retry = actions.schedule(() -> {
            if (leader && role.get() == Role.STANDBY) openOrRetry();
        }, Duration.ofSeconds(delay));
    }

    private void suspend() {
        if (!role.transition(Role.ACTIVE, Role.SUSPENDED)) return;
        actions.pause();
        cancel(suspendTimer);
        suspendTimer = actions.schedule(() -> {
            if (role.get() == Role.SUSPENDED) stepDown(Role.SUSPENDED, "ZooKeeper did not confirm its writer latch within the session timeout");
        }, suspendGrace);
    }

    private void resume() {
        cancel(suspendTimer);
        if (!role.transition(Role.SUSPENDED, Role.ACTIVE)) return;
        actions.serve();
        LOG.info("{}: ZooKeeper is back and confirms this bridge {} the volume; serving it again (epoch {}).", label,
                forced ? "still writes" : "still holds the writer latch of", epoch);
    }

    private boolean stepDown(Role from, String reason) {
        if (!role.transition(from, Role.STANDBY)) return false;
        cancelTimers();
        forced = false;
        epoch = -1;
        LOG.warn("{}: this bridge stopped writing the volume because {}. The LUN answers NOT READY (standby) until this bridge "
                + "is elected writer again; initiators should use the path to the new writer.", label, reason);
        actions.standBy();
        actions.writerMayHaveChanged();
        return true;
    }

    private void rejoin() {
        leader = false;
        actions.rejoinElection();
    }

    private void cancelTimers() {
        cancel(suspendTimer);
        cancel(retry);
    }

    private static void cancel(Future<?> f) {
        if (f != null) f.cancel(false);
    }
}
