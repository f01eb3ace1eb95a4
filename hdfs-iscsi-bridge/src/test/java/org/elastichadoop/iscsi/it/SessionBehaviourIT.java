package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * What no initiator tool here exercises: CRC32C data digests (libiscsi only offers None), the
 * target's own NOP-In pings, task management on queued commands, and a connection dropped in the
 * middle of a write.
 */
public class SessionBehaviourIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:sessions";

    @ClassRule
    public static TemporaryFolder dir = new TemporaryFolder();
    private static RunningBridge bridge;

    @BeforeClass
    public static void start() throws Exception {
        // pings after 1 s of silence, and 1 s to answer
        BridgeConfig.SessionConfig fastPings = new BridgeConfig.SessionConfig(null, null, null, null, null, null,
                null, null, null, 1, 1, null);
        bridge = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, dir.getRoot().toPath().resolve("s.img"), "32M")),
                fastPings);
    }

    @AfterClass
    public static void stop() {
        if (bridge != null) bridge.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    public void dataDigestsCarryDataBothWaysAndABadOneEndsOnlyThatConnection() throws Exception {
        byte[] data = random(16 * 1024, 1);
        try (TestInitiator c = TestInitiator.connect(bridge.port(), 10_000)) {
            c.login("iqn.2026-11.test:digests", IQN, true);
            assertEquals(0, c.write10(64, data));
            assertArrayEquals(data, c.read10(64, 32)); // read() checks the target's digests

            // a WRITE whose data digest is wrong: Reject (data digest error), then the connection closes
            byte[] cdb = ByteBuffer.allocate(16).put(0, (byte) 0x2a).putInt(2, 64).putShort(7, (short) 1).array();
            c.sendRaw(TestInitiator.withDigests(c.commandPdu(c.nextItt(), false, true, 512, cdb, random(512, 2)), true));
            TestInitiator.Pdu reject = c.read();
            assertEquals("Reject", 0x3f, reject.opcode());
            assertEquals("reason: data digest error", 0x02, reject.header()[2] & 0xff);
            assertConnectionCloses(c);
        }
        try (TestInitiator again = TestInitiator.connect(bridge.port(), 10_000)) {
            again.login("iqn.2026-11.test:digests", IQN, true);
            assertArrayEquals("the refused write changed nothing", data, again.read10(64, 32));
        }
    }

    @Test
    public void anIdleInitiatorIsPingedAndDroppedWhenItDoesNotAnswer() throws Exception {
        try (TestInitiator answering = TestInitiator.connect(bridge.port(), 10_000)) {
            answering.login("iqn.2026-11.test:answers", IQN);
            assertTrue("pinged again and again while idle", answering.answerPingsFor(3500) >= 2);
            assertEquals("and still logged in", 0, answering.testUnitReady());
        }
        try (TestInitiator silent = TestInitiator.connect(bridge.port(), 10_000)) {
            silent.login("iqn.2026-11.test:silent", IQN);
            TestInitiator.Pdu ping = silent.read();
            assertEquals("NOP-In", 0x20, ping.opcode());
            assertEquals("unsolicited: reserved ITT", 0xffffffff, ByteBuffer.wrap(ping.header()).getInt(16));
            assertNotEquals("a TTT to echo", 0xffffffff, ByteBuffer.wrap(ping.header()).getInt(20));
            long pinged = System.nanoTime();
            assertConnectionCloses(silent);
            assertTrue("closed after the timeout, not at once", System.nanoTime() - pinged > 500_000_000L);
        }
    }

    @Test
    public void abortTaskSetEndsAWriteWaitingForDataAndTheSessionGoesOn() throws Exception {
        try (TestInitiator c = TestInitiator.connect(bridge.port(), 10_000)) {
            c.login("iqn.2026-11.test:tmf", IQN);
            byte[] before = random(64 * 1024, 3);
            assertEquals(0, c.write10(1000, before));

            // a 1 MiB write with no data yet: the target asks for it with R2Ts and waits
            int itt = c.nextItt();
            byte[] cdb = ByteBuffer.allocate(16).put(0, (byte) 0x2a).putInt(2, 1000).putShort(7, (short) 2048).array();
            c.send(c.commandPdu(itt, false, true, 1 << 20, cdb, new byte[0]));
            TestInitiator.Pdu r2t = c.read();
            assertEquals("R2T", 0x31, r2t.opcode());

            assertEquals("ABORT TASK SET: function complete", 0, c.taskManagement(2, 0));
            assertEquals("CLEAR TASK SET: function complete", 0, c.taskManagement(4, 0));
            assertEquals("ABORT TASK of a task that is gone", 1, c.taskManagement(1, itt));
            // the aborted write never answers; the session carries on
            assertEquals(0, c.testUnitReady());
            assertArrayEquals("nothing of the aborted write landed", before, c.read10(1000, 128));
        }
    }

    @Test
    public void aLogicalUnitResetRaisesAUnitAttentionForOtherSessions() throws Exception {
        try (TestInitiator a = TestInitiator.connect(bridge.port(), 10_000);
             TestInitiator b = TestInitiator.connect(bridge.port(), 10_000)) {
            a.login("iqn.2026-11.test:reset-a", IQN);
            b.login("iqn.2026-11.test:reset-b", IQN);
            assertEquals(0, b.testUnitReady());
            assertEquals("LOGICAL UNIT RESET: function complete", 0, a.taskManagement(5, 0));
            assertEquals("the other session sees CHECK CONDITION (unit attention)", 2, b.testUnitReady());
            assertEquals("once", 0, b.testUnitReady());
            assertEquals("not the session that asked", 0, a.testUnitReady());
        }
    }

    @Test
    public void aConnectionDroppedInTheMiddleOfAWriteLeavesTheTargetServing() throws Exception {
        int sessionsBefore = bridge.bridge.sessions().size();
        try (TestInitiator c = TestInitiator.connect(bridge.port(), 10_000)) {
            c.login("iqn.2026-11.test:dropper", IQN);
            int itt = c.nextItt();
            byte[] cdb = ByteBuffer.allocate(16).put(0, (byte) 0x2a).putInt(2, 4096).putShort(7, (short) 2048).array();
            c.send(c.commandPdu(itt, false, true, 1 << 20, cdb, random(65536, 4)));
            TestInitiator.Pdu r2t = c.read();
            assertEquals("R2T", 0x31, r2t.opcode());
            // half of the first burst, then the socket goes away mid-PDU
            ByteBuffer h = ByteBuffer.allocate(48);
            h.put(0, (byte) 0x05);
            h.putInt(4, 65536);
            h.putInt(16, itt);
            h.putInt(20, ByteBuffer.wrap(r2t.header()).getInt(20));
            h.putInt(40, ByteBuffer.wrap(r2t.header()).getInt(40));
            c.sendRaw(h.array());
            c.sendRaw(random(30_000, 5));
        }
        long end = System.currentTimeMillis() + 5000;
        while (bridge.bridge.sessions().size() > sessionsBefore && System.currentTimeMillis() < end) Thread.sleep(20);
        assertEquals("the dropped session is gone", sessionsBefore, bridge.bridge.sessions().size());
        try (TestInitiator next = TestInitiator.connect(bridge.port(), 10_000)) {
            next.login("iqn.2026-11.test:after-drop", IQN);
            byte[] data = random(8192, 6);
            assertEquals(0, next.write10(4096, data));
            assertArrayEquals(data, next.read10(4096, 16));
        }
    }

    private static void assertConnectionCloses(TestInitiator c) throws Exception {
        try {
            while (true) c.read();
        } catch (EOFException | SocketException closed) {
            return;
        } catch (IOException e) {
            fail("expected the target to close the connection, got " + e);
        }
    }
}
