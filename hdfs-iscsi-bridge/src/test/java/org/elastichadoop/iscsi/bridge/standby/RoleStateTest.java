package org.elastichadoop.iscsi.bridge.standby;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** Every change of role against the table of allowed ones: the full from x to matrix, and how a refusal is logged. */
public class RoleStateTest {

    /** Written out here rather than read from {@link RoleState#ALLOWED}, so that a change to the table fails this test. */
    private static final Set<String> ALLOWED = Set.of(
            "standby>opening", "standby>closed",
            "opening>active", "opening>standby", "opening>closed",
            "active>suspended", "active>standby", "active>closed",
            "suspended>active", "suspended>standby", "suspended>closed");

    private final List<String> logged = new ArrayList<>();
    private Logger logger;
    private Level levelBefore;
    private AbstractAppender appender;

    @Before
    public void recordLogs() {
        logger = (Logger) LogManager.getLogger(RoleState.class);
        levelBefore = logger.getLevel();
        appender = new AbstractAppender("recording", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    @After
    public void stopRecording() {
        logger.removeAppender(appender);
        logger.setLevel(levelBefore);
        appender.stop();
    }

    @Test
    public void theFullMatrixOfChangesAgainstTheTable() {
        int allowed = 0;
        int refused = 0;
        for (Role from : Role.values()) {
            for (Role to : Role.values()) {
                String pair = from.label() + ">" + to.label();
                boolean expected = ALLOWED.contains(pair);
                assertEquals(pair, expected, RoleState.allowed(from, to));

                RoleState state = new RoleState("LUN", from);
                logged.clear();
                boolean changed = state.transition(from, to);
                assertEquals(pair, expected, changed);
                assertEquals(pair, expected ? to : from, state.get());
                if (expected) {
                    allowed++;
                    assertEquals(pair + ": an allowed change logs nothing", List.of(), logged);
                } else {
                    refused++;
                    assertEquals(pair + ": one warning", 1, logged.size());
                    String line = logged.get(0);
                    assertTrue(line, line.startsWith("WARN LUN: refused to change role from " + from.label() + " to " + to.label()));
                }
            }
        }
        assertEquals("allowed changes", ALLOWED.size(), allowed);
        assertEquals("refused changes", Role.values().length * Role.values().length - ALLOWED.size(), refused);
    }

    @Test
    public void everyRoleButClosedCanShutDownAndClosedIsFinal() {
        for (Role r : Role.values()) {
            assertEquals(r.label(), r != Role.CLOSED, RoleState.allowed(r, Role.CLOSED));
            assertFalse(r.label(), RoleState.allowed(Role.CLOSED, r));
        }
    }

    @Test
    public void anAllowedChangeFromARoleNoLongerCurrentIsRefusedAtDebug() {
        RoleState state = new RoleState("LUN", Role.ACTIVE);
        Instant since = state.since();
        assertFalse("standby to opening, but the role is active", state.transition(Role.STANDBY, Role.OPENING));
        assertEquals(Role.ACTIVE, state.get());
        assertEquals("the role did not change", since, state.since());
        assertEquals(List.of("DEBUG LUN: refused to change role from standby to opening: the role is active by now."), logged);
    }

    @Test
    public void aChangeMovesSince() throws Exception {
        RoleState state = new RoleState("LUN", Role.STANDBY);
        Instant before = state.since();
        Thread.sleep(2);
        assertTrue(state.transition(Role.STANDBY, Role.OPENING));
        assertTrue("since moves with the role", state.since().isAfter(before));
    }
}
