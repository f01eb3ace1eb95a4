package org.elastichadoop.iscsi.it;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** A bridge shutting down asks its initiators to log out, and waits for them (a little). */
public class ShutdownIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:shutdown";

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void initiatorsAreAskedToLogOutAndTheShutdownWaitsForThem() throws Exception {
        RunningBridge bridge = RunningBridge.start(List.of(RunningBridge.fileTarget(IQN, dir.getRoot().toPath().resolve("x.img"), "16M")));
        try (TestInitiator c = TestInitiator.connect(bridge.port(), 10_000)) {
            c.login("iqn.2026-11.test:leaving", IQN);
            long start = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(bridge::close);

            TestInitiator.Pdu async = c.read();
            assertEquals("Asynchronous Message", 0x32, async.opcode());
            assertEquals("event: logout requested", 1, async.header()[36]);
            assertEquals("Parameter3: seconds to log out", 3, ByteBuffer.wrap(async.header()).getShort(42));

            ByteBuffer logout = ByteBuffer.allocate(48);
            logout.put(0, (byte) 0x46);
            logout.put(1, (byte) 0x80); // close the session
            logout.putInt(16, c.nextItt());
            logout.putInt(24, c.cmdSNNow());
            logout.putInt(28, ByteBuffer.wrap(async.header()).getInt(24) + 1);
            c.send(logout.array());
            TestInitiator.Pdu response = c.read();
            assertEquals("Logout Response", 0x26, response.opcode());
            assertEquals("closed", 0, response.header()[2]);

            closing.get(10, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("the shutdown ended when the initiator left, not after the 3 s grace: " + tookMillis + " ms",
                    tookMillis < 2500);
        }
    }
}
