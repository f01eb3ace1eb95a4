package org.elastichadoop.iscsi.bridge.standby;

import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role;
import org.junit.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The role machine driven as Curator drives it, through {@link RoleEvents}: connection states and
 * writer-latch callbacks, checking the role reached and what the machine asked of the volume and the
 * election ({@link RecordingActions}). No ZooKeeper runs; timers fire when a test says so.
 */
public class LunRolesTest {
    private static final Duration GRACE = Duration.ofSeconds(8);

    private final RecordingActions actions = new RecordingActions();
    private final LunRoles roles = new LunRoles("LUN", true, GRACE, actions);
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final RoleEvents events = new RoleEvents(roles, connected::get);
    private final LeaderLatchListener latch = events.latchListener(() -> true);

    // ---- election ----

    @Test
    public void aStandbyThatGainsTheLatchOpensThenServesTheVolume() {
        assertEquals(Role.STANDBY, roles.role());
        latch.isLeader();
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals("the role while the volume opened", Role.OPENING, actions.roleWhileOpening);
        assertEquals(List.of("open", "serve"), actions.take());
        assertTrue(roles.holdsLatch());
        assertEquals(1, roles.epoch());
    }

    @Test
    public void aWriterThatLosesTheLatchWhileConnectedStepsDownAndTakesOverAgainWithANewEpoch() {
        becomeWriter();
        latch.notLeader();
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy"), actions.take());
        assertFalse(roles.holdsLatch());
        assertEquals(-1, roles.epoch());

        latch.isLeader();
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of("open", "serve"), actions.take());
        assertEquals(2, roles.epoch());
    }

    @Test
    public void aLatchLeftBehindByRejoiningIsNotListenedTo() {
        LeaderLatchListener old = events.latchListener(() -> false);
        old.isLeader();
        assertEquals(Role.STANDBY, roles.role());
        becomeWriter();
        old.notLeader();
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of(), actions.take());
        assertTrue(roles.holdsLatch());
    }

    // ---- connection ----

    @Test
    public void aSuspendedWriterPausesAndResumesWhenTheLatchConfirmsIt() {
        becomeWriter();
        connection(ConnectionState.SUSPENDED);
        assertEquals(Role.SUSPENDED, roles.role());
        assertEquals(List.of("pause", "schedule 8 s"), actions.take());

        // what Curator's LeaderLatch does meanwhile: not leader while suspended, then the latch again
        connected.set(false);
        latch.notLeader();
        assertEquals(Role.SUSPENDED, roles.role());
        connected.set(true);
        connection(ConnectionState.RECONNECTED);
        assertEquals("a latch holder waits for the latch to confirm it", Role.SUSPENDED, roles.role());
        assertEquals(List.of(), actions.take());

        latch.isLeader();
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals("the same volume, not reopened", List.of("serve"), actions.take());
        assertEquals(1, roles.epoch());
        assertTrue("the grace timer is cancelled", actions.lastTimer().isCancelled());
    }

    @Test
    public void notLeaderWhileDisconnectedSuspendsBeforeTheConnectionStateArrives() {
        becomeWriter();
        connected.set(false);
        latch.notLeader();
        assertEquals(Role.SUSPENDED, roles.role());
        assertEquals(List.of("pause", "schedule 8 s"), actions.take());
        connection(ConnectionState.SUSPENDED);
        assertEquals(Role.SUSPENDED, roles.role());
        assertEquals("already paused", List.of(), actions.take());
    }

    @Test
    public void aLostSessionStepsASuspendedWriterDown() {
        becomeWriter();
        connection(ConnectionState.SUSPENDED);
        actions.take();
        connection(ConnectionState.LOST);
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy"), actions.take());
        assertTrue(actions.lastTimer().isCancelled());
        assertEquals(-1, roles.epoch());
    }

    @Test
    public void aLostSessionStepsAnActiveWriterDown() {
        becomeWriter();
        connection(ConnectionState.LOST);
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy"), actions.take());
    }

    @Test
    public void aWriterNotConfirmedWithinTheGraceStepsDown() {
        becomeWriter();
        connection(ConnectionState.SUSPENDED);
        actions.take();
        actions.fire();
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy"), actions.take());
        connection(ConnectionState.RECONNECTED);
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of(), actions.take());
    }

    @Test
    public void connectionStatesChangeNothingForAStandby() {
        for (ConnectionState s : ConnectionState.values()) connection(s);
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of(), actions.take());
    }

    @Test
    public void connectedAndReadOnlyChangeNothingForAWriter() {
        becomeWriter();
        connection(ConnectionState.CONNECTED);
        connection(ConnectionState.READ_ONLY);
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of(), actions.take());
    }

    // ---- fencing ----

    @Test
    public void aFencedLatchHolderStepsDownAndGivesUpItsPlace() {
        becomeWriter();
        roles.fenced("epoch 2 took the volume over");
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy", "rejoin"), actions.take());
        assertFalse(roles.holdsLatch());
    }

    @Test
    public void aFencedSuspendedWriterStepsDown() {
        becomeWriter();
        connection(ConnectionState.SUSPENDED);
        actions.take();
        roles.fenced("epoch 2");
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("standBy", "rejoin"), actions.take());
        assertTrue(actions.lastTimer().isCancelled());
    }

    // ---- start-up without standby ----

    @Test
    public void takingOverWithoutTheLatchResumesOnReconnectAndWaitsForTheLatchOnceItHoldsIt() throws Exception {
        roles.serveAtStartup(true);
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of("open", "serve"), actions.take());
        assertFalse(roles.holdsLatch());

        connection(ConnectionState.SUSPENDED);
        connection(ConnectionState.RECONNECTED);
        assertEquals("nothing to wait for without the latch", Role.ACTIVE, roles.role());
        assertEquals(List.of("pause", "schedule 8 s", "serve"), actions.take());

        latch.isLeader();
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of(), actions.take());
        connection(ConnectionState.SUSPENDED);
        connection(ConnectionState.RECONNECTED);
        assertEquals("now a latch holder: waits for the latch", Role.SUSPENDED, roles.role());
        assertEquals(List.of("pause", "schedule 8 s"), actions.take());
    }

    @Test
    public void aFailedOpenAtStartupThrowsAndSchedulesNoRetry() {
        actions.openFailures = 1;
        try {
            roles.serveAtStartup(false);
            fail("the open failure reaches the caller");
        } catch (IOException e) {
            assertEquals("cannot open", e.getMessage());
        }
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("open", "standBy"), actions.take());
    }

    @Test
    public void servingAtStartupWhenAlreadyActiveChangesNothing() throws Exception {
        becomeWriter();
        roles.serveAtStartup(false);
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of(), actions.take());
    }

    // ---- failed opens ----

    @Test
    public void failedOpensRetryWithBackoffThenGiveUpThePlaceInTheElection() {
        actions.otherParticipants = 1;
        actions.openFailures = 3;
        latch.isLeader();
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of("open", "standBy", "schedule 2 s"), actions.take());
        actions.fire();
        assertEquals(List.of("open", "standBy", "schedule 4 s"), actions.take());
        actions.fire();
        assertEquals(List.of("open", "standBy", "rejoin"), actions.take());
        assertEquals(Role.STANDBY, roles.role());
        assertFalse(roles.holdsLatch());

        latch.isLeader();
        assertEquals("the count starts again", Role.ACTIVE, roles.role());
        assertEquals(List.of("open", "serve"), actions.take());
    }

    @Test
    public void aLoneBridgeKeepsRetryingAtMostEveryMinute() {
        actions.openFailures = 8;
        latch.isLeader();
        List<String> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            List<String> calls = actions.take();
            delays.add(calls.get(calls.size() - 1));
            actions.fire();
        }
        assertEquals(List.of("schedule 2 s", "schedule 4 s", "schedule 8 s", "schedule 16 s", "schedule 32 s",
                "schedule 60 s", "schedule 60 s", "schedule 60 s"), delays);
        assertEquals(Role.ACTIVE, roles.role());
        assertEquals(List.of("open", "serve"), actions.take());
    }

    @Test
    public void aRetryAfterTheLatchWasLostDoesNothing() {
        actions.openFailures = 1;
        latch.isLeader();
        actions.take();
        latch.notLeader();
        actions.fire();
        assertEquals(Role.STANDBY, roles.role());
        assertEquals(List.of(), actions.take());
    }

    // ---- shutdown ----

    @Test
    public void closingAWriterShutsDownAndNothingChangesAfterwards() {
        becomeWriter();
        connection(ConnectionState.SUSPENDED);
        actions.take();
        roles.close();
        assertEquals(Role.CLOSED, roles.role());
        assertEquals(List.of("shutDown"), actions.take());
        assertTrue(actions.lastTimer().isCancelled());
        assertFalse(roles.holdsLatch());

        latch.isLeader();
        latch.notLeader();
        for (ConnectionState s : ConnectionState.values()) connection(s);
        roles.fenced("epoch 9");
        assertEquals(Role.CLOSED, roles.role());
        assertEquals(List.of(), actions.take());
    }

    @Test
    public void closingAStandbyShutsDown() {
        roles.close();
        assertEquals(Role.CLOSED, roles.role());
        assertEquals(List.of("shutDown"), actions.take());
        roles.close();
        assertEquals("a second close does nothing", List.of(), actions.take());
    }

    // ---- helpers ----

    private void becomeWriter() {
        latch.isLeader();
        assertEquals(Role.ACTIVE, roles.role());
        actions.take();
    }

    private void connection(ConnectionState state) {
        events.stateChanged(null, state);
    }

    /** Records what the machine asks for; its timers run when the test fires them. */
    private final class RecordingActions implements RoleActions {
        private final List<String> calls = new ArrayList<>();
        private final List<FutureTask<?>> timers = new ArrayList<>();
        private long epoch;
        int openFailures;
        int otherParticipants;
        Role roleWhileOpening;

        /** The calls since the last take. */
        List<String> take() {
            List<String> c = List.copyOf(calls);
            calls.clear();
            return c;
        }

        FutureTask<?> lastTimer() {
            return timers.get(timers.size() - 1);
        }

        /** Runs the last timer scheduled, as the worker would once its delay is up. */
        void fire() {
            FutureTask<?> t = lastTimer();
            assertFalse("fired a cancelled timer", t.isCancelled());
            t.run();
        }

        @Override
        public long open() throws IOException {
            calls.add("open");
            roleWhileOpening = roles.role();
            if (openFailures > 0) {
                openFailures--;
                throw new IOException("cannot open");
            }
            return ++epoch;
        }

        @Override
        public void serve() {
            calls.add("serve");
        }

        @Override
        public void pause() {
            calls.add("pause");
        }

        @Override
        public void standBy() {
            calls.add("standBy");
        }

        @Override
        public void shutDown() {
            calls.add("shutDown");
        }

        @Override
        public void rejoinElection() {
            calls.add("rejoin");
        }

        @Override
        public int otherParticipants() {
            return otherParticipants;
        }

        @Override
        public void writerMayHaveChanged() {
            // only refreshes what status shows
        }

        @Override
        public Future<?> schedule(Runnable task, Duration delay) {
            calls.add("schedule " + delay.toSeconds() + " s");
            FutureTask<?> t = new FutureTask<>(task, null);
            timers.add(t);
            return t;
        }
    }
}
