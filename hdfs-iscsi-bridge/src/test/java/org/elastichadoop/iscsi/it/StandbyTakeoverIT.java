package org.elastichadoop.iscsi.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elastichadoop.iscsi.volume.log.LogVolumes;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import org.elastichadoop.kv.node.LocalCluster;
import org.elastichadoop.kv.procs.FreePorts;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * A standby bridge takes over a log volume when its writer dies, or stops. ZooKeeper (three servers) and three
 * zk-kv-store nodes run in this JVM; two bridges run as real processes (bin/iscsi-bridge) serving the
 * same volume under the same IQN: A without {@code standby}, B with {@code standby: true}.
 *
 * <ol>
 *   <li>B, the standby, lists the target and logs the initiator in, but its LUN refuses I/O with
 *       NOT READY, LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE (02/04/0B); it still
 *       answers INQUIRY and READ CAPACITY like the writer.</li>
 *   <li>Known data is written through A and synchronized.</li>
 *   <li>A is frozen (SIGSTOP, as a long GC pause or a hung VM would): its ZooKeeper session expires and
 *       B takes over within the session timeout plus a bound, serving every synchronized byte, and
 *       taking writes. When A wakes up it must not write any more: its SYNCHRONIZE CACHE fails, its LUN
 *       turns standby, and B's data is untouched.</li>
 *   <li>B is killed with kill -9: A, now the standby, takes over and serves everything both wrote.</li>
 *   <li>A third bridge C joins as standby; A is stopped cleanly (SIGTERM): it flushes its write-back
 *       cache and leaves the election, and C takes over at once, with A's unsynchronized writes.</li>
 * </ol>
 */
public class StandbyTakeoverIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.test:ha";
    private static final String VOLUME = "ha";
    private static final int SESSION_SECONDS = 6;
    /** Beyond the ZooKeeper session timeout: session expiry is checked once per server tick, then recovery. */
    private static final long TAKEOVER_BOUND_MS = 12_000;
    private static final int BLOCK = 512;

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();
    private LocalCluster cluster;
    private VolumeCatalog catalog;
    private final List<Process> processes = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @Before
    public void startCluster() throws Exception {
        cluster = new LocalCluster(dir.newFolder("kv").toPath(), 3);
        catalog = ZkVolumeCatalog.connect(cluster.zk.getConnectString());
        LogVolumes.create(catalog, VOLUME, 32L << 20, BLOCK);
    }

    @After
    public void stopEverything() throws Exception {
        for (Process p : processes) {
            signal(p, "CONT");
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (catalog != null) catalog.close();
        if (cluster != null) cluster.close();
    }

    @Test
    public void aStandbyTakesOverEverySyncedByteWhenTheWriterDiesAndAFrozenWriterStopsWriting() throws Exception {
        long testStart = System.nanoTime();
        Bridge a = Bridge.start(this, "a", false);
        a.awaitLog("iscsi-bridge ready", 60_000);
        Bridge b = Bridge.start(this, "b", true);
        b.awaitLog("iscsi-bridge ready", 60_000);
        long sessionMs = a.negotiatedSessionMillis();
        System.out.printf("bridges up after %d ms; ZooKeeper session timeout %d ms%n", ms(testStart), sessionMs);

        // roles as operators see them
        String statusA = a.statusCommand();
        String statusB = b.statusCommand();
        System.out.println("bin/iscsi-bridge status (A):\n" + statusA + "bin/iscsi-bridge status (B):\n" + statusB);
        assertTrue(statusA, statusA.matches("(?s).*lun 0  active .*"));
        assertTrue(statusB, statusB.matches("(?s).*lun 0  standby .*writer: host=.*pid=" + a.process.pid() + ".*"));
        for (String status : List.of(statusA, statusB)) {
            assertTrue("each role names the volume's store: " + status, status.contains("' on zk-kv-store at "));
        }

        byte[] synced = new byte[4 << 20];
        new Random(4).nextBytes(synced);
        long bLba = (8L << 20) / BLOCK;
        byte[] again = new byte[256 << 10];
        new Random(6).nextBytes(again);
        try (TestInitiator toA = TestInitiator.connect(a.port, 30_000);
             TestInitiator toB = TestInitiator.connect(b.port, 30_000)) {
            toA.login("iqn.2026-11.test:host-a", IQN);
            toB.login("iqn.2026-11.test:host-b", IQN);

            // 1. the standby logs the initiator in but refuses I/O
            assertNotReady("TEST UNIT READY on the standby", command(toB, cdb(0x00), 0, null), 0x0B);
            assertNotReady("READ(10) on the standby", command(toB, rw10(0x28, 0, 8), 4096, null), 0x0B);
            assertNotReady("WRITE(10) on the standby", command(toB, rw10(0x2a, 0, 8), 0, new byte[4096]), 0x0B);
            assertNotReady("SYNCHRONIZE CACHE on the standby", command(toB, cdb(0x35), 0, null), 0x0B);
            Reply inquiry = command(toB, new byte[]{0x12, 0, 0, 0, 96, 0}, 96, null);
            assertEquals("INQUIRY on the standby", 0, inquiry.status);
            assertEquals("a direct-access block device", 0x00, inquiry.data[0]);
            Reply capacity = command(toB, cdb(0x25), 8, null);
            assertEquals("READ CAPACITY(10) on the standby", 0, capacity.status);
            assertEquals("the standby reports the volume's capacity", (32L << 20) / BLOCK - 1, ByteBuffer.wrap(capacity.data).getInt(0));
            assertEquals(BLOCK, ByteBuffer.wrap(capacity.data).getInt(4));

            // 2. known data through the writer, synchronized
            writeAll(toA, 0, synced);
            assertEquals("SYNCHRONIZE CACHE on the writer", 0, command(toA, cdb(0x35), 0, null).status);

            // 3. the writer freezes: its ZooKeeper session expires and the standby takes over
            signal(a.process, "STOP");
            long frozen = System.nanoTime();
            boolean sawStateChange = awaitReady(toB, sessionMs + TAKEOVER_BOUND_MS);
            long takeover1 = ms(frozen);
            System.out.printf("B took over %d ms after A froze (bound %d ms)%n", takeover1, sessionMs + TAKEOVER_BOUND_MS);
            assertTrue("B's first command after taking over reports ASYMMETRIC ACCESS STATE CHANGED", sawStateChange);
            assertArrayEquals("every byte synchronized through A, read from B", synced, readAll(toB, 0, synced.length));
            byte[] fromB = new byte[1 << 20];
            new Random(5).nextBytes(fromB);
            writeAll(toB, bLba, fromB);
            assertEquals("SYNCHRONIZE CACHE on the new writer", 0, command(toB, cdb(0x35), 0, null).status);
            assertEquals("active", lunRole(b));

            // A wakes up: it must not write any more
            signal(a.process, "CONT");
            byte[] late = new byte[64 << 10];
            Arrays.fill(late, (byte) 0x5a);
            command(toA, rw10(0x2a, bLba, late.length / BLOCK), 0, late); // may land in A's cache, or be refused
            Reply lateSync = command(toA, cdb(0x35), 0, null);
            assertNotEquals("the woken writer cannot make a write durable", 0, lateSync.status);
            long woke = System.nanoTime();
            Reply tur;
            String roleA;
            do {
                Thread.sleep(100);
                tur = command(toA, cdb(0x00), 0, null);
                roleA = lunRole(a);
            } while (!(tur.status == 2 && tur.asc() == 0x040B && roleA.equals("standby")) && ms(woke) < 15_000);
            System.out.printf("A stood down %d ms after it woke up%n", ms(woke));
            assertNotReady("the woken writer's LUN is standby", tur, 0x0B);
            assertEquals("the woken writer reports itself standby", "standby", roleA);
            assertArrayEquals("B's data is untouched by the woken writer", fromB, readAll(toB, bLba, fromB.length));
            a.awaitLog("this bridge stopped writing the volume because", 5_000);

            // 4. kill -9 of the new writer: A, now standby, takes over
            b.process.destroyForcibly(); // SIGKILL
            assertTrue(b.process.waitFor(10, TimeUnit.SECONDS));
            long killed = System.nanoTime();
            awaitReady(toA, sessionMs + TAKEOVER_BOUND_MS);
            long takeover2 = ms(killed);
            System.out.printf("A took over %d ms after B was killed -9 (bound %d ms)%n", takeover2, sessionMs + TAKEOVER_BOUND_MS);
            assertArrayEquals("A's synchronized data after two takeovers", synced, readAll(toA, 0, synced.length));
            assertArrayEquals("B's synchronized data, read from A", fromB, readAll(toA, bLba, fromB.length));
            writeAll(toA, 0, again);
            assertEquals("writes work on A again", 0, command(toA, cdb(0x35), 0, null).status);
            assertArrayEquals(again, readAll(toA, 0, again.length));
            assertEquals("active", lunRole(a));
            a.awaitLog("this bridge is now the volume's writer", 5_000);

            // 5. a clean shutdown hands over at once: the writer flushes, then leaves the election
            writeAll(toA, bLba, again); // acknowledged, never synchronized by the initiator
        }
        Bridge c = Bridge.start(this, "c", true);
        c.awaitLog("iscsi-bridge ready", 60_000);
        assertEquals("standby", lunRole(c));
        try (TestInitiator toC = TestInitiator.connect(c.port, 30_000)) {
            toC.login("iqn.2026-11.test:host-c", IQN);
            assertNotReady("the new standby", command(toC, cdb(0x00), 0, null), 0x0B);
            a.process.destroy(); // SIGTERM
            long stopping = System.nanoTime();
            assertTrue("A shut down", a.process.waitFor(30, TimeUnit.SECONDS));
            awaitReady(toC, 10_000);
            long handover = ms(stopping);
            System.out.printf("C took over %d ms after A was asked to stop (SIGTERM)%n", handover);
            assertTrue("a clean shutdown does not wait for a ZooKeeper session to expire: " + handover + " ms", handover < sessionMs);
            assertArrayEquals("what A had in its write-back cache was flushed at shutdown", again, readAll(toC, bLba, again.length));
            assertArrayEquals(again, readAll(toC, 0, again.length));
        }
        a.awaitLog("volume closed at shutdown", 1_000);
        assertEquals("four writers in turn: A, B, A, C", 4, catalog.read(VOLUME).orElseThrow().record().epoch());
        System.out.printf("test body took %d ms%n", ms(testStart));
    }

    // ---- bridges as processes ----

    private static final class Bridge {
        static final Path BIN = repoRoot().resolve("bin");
        final Process process;
        final Path log;
        final int port;
        final int statusPort;

        private Bridge(Process process, Path log, int port, int statusPort) {
            this.process = process;
            this.log = log;
            this.port = port;
            this.statusPort = statusPort;
        }

        static Bridge start(StandbyTakeoverIT test, String name, boolean standby) throws IOException {
            int port = FreePorts.belowEphemeral();
            int statusPort = FreePorts.belowEphemeral();
            Path config = test.dir.getRoot().toPath().resolve(name + ".yaml");
            Files.writeString(config, String.join("\n",
                    "portal: 127.0.0.1:" + port,
                    "status: 127.0.0.1:" + statusPort,
                    "ioThreads: 2",
                    "zk: " + test.cluster.zk.getConnectString(),
                    "zkSessionTimeoutSeconds: " + SESSION_SECONDS,
                    "session: {nopIntervalSeconds: 0}",
                    "targets:",
                    "  - iqn: " + IQN,
                    "    luns:",
                    "      - lun: 0",
                    "        volume: " + VOLUME,
                    "        standby: " + standby,
                    ""));
            Path logs = Path.of("target", "it-standby");
            Files.createDirectories(logs);
            Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(BIN.resolve("iscsi-bridge").toString(), "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("BRIDGE_JAVA_OPTS", "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            Bridge b = new Bridge(pb.start(), log, port, statusPort);
            test.processes.add(b.process);
            return b;
        }

        /** Output of bin/iscsi-bridge status for this bridge. */
        String statusCommand() throws Exception {
            ProcessBuilder pb = new ProcessBuilder(BIN.resolve("iscsi-bridge").toString(), "status", "--status", statusAddress())
                    .redirectErrorStream(true);
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("BRIDGE_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue("iscsi-bridge status finished", p.waitFor(60, TimeUnit.SECONDS));
            assertEquals("iscsi-bridge status: " + out, 0, p.exitValue());
            return out;
        }

        String statusAddress() {
            return "127.0.0.1:" + statusPort;
        }

        void awaitLog(String text, long millis) throws Exception {
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end) {
                if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) return;
                if (!process.isAlive()) break;
                Thread.sleep(50);
            }
            if (Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) return;
            fail("bridge did not log '" + text + "' within " + millis + " ms (alive: " + process.isAlive() + "); its log "
                    + log + ":\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
        }

        long negotiatedSessionMillis() throws IOException {
            Matcher m = Pattern.compile("session 0x[0-9a-f]+, timeout (\\d+) ms").matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            assertTrue("the bridge logs its ZooKeeper session timeout", m.find());
            return Long.parseLong(m.group(1));
        }

        private static Path repoRoot() {
            Path p = Path.of("").toAbsolutePath();
            while (p != null && !Files.isExecutable(p.resolve("bin").resolve("iscsi-bridge"))) p = p.getParent();
            if (p == null) throw new AssertionError("bin/iscsi-bridge not found above " + Path.of("").toAbsolutePath());
            return p;
        }
    }

    private String lunRole(Bridge b) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + b.statusAddress() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode lun = json.readTree(body).path("targets").path(0).path("luns").path(0);
        return lun.path("role").asText();
    }

    private static void signal(Process p, String signal) throws Exception {
        if (p.isAlive()) new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private static long ms(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    // ---- SCSI over the test initiator, with sense data ----

    record Reply(int status, byte[] sense, byte[] data) {
        int key() {
            return sense.length < 14 ? -1 : sense[2] & 0x0f;
        }

        int asc() {
            return sense.length < 14 ? -1 : (sense[12] & 0xff) << 8 | sense[13] & 0xff;
        }

        @Override
        public String toString() {
            return String.format("status %02x, sense key %x, ASC/ASCQ %04x", status, key(), asc());
        }
    }

    private static void assertNotReady(String what, Reply r, int ascq) {
        assertEquals(what + ": " + r, 2, r.status);
        assertEquals(what + ": NOT READY: " + r, 0x2, r.key());
        assertEquals(what + ": LOGICAL UNIT NOT ACCESSIBLE: " + r, 0x0400 | ascq, r.asc());
    }

    /** TEST UNIT READY until GOOD; returns whether a unit attention ASYMMETRIC ACCESS STATE CHANGED came first. */
    private static boolean awaitReady(TestInitiator ini, long millis) throws Exception {
        long start = System.nanoTime();
        boolean stateChanged = false;
        Reply last = null;
        while (ms(start) < millis) {
            last = command(ini, cdb(0x00), 0, null);
            if (last.status == 0) return stateChanged;
            if (last.key() == 0x6 && last.asc() == 0x2A06) {
                stateChanged = true;
                continue;
            }
            assertEquals("not ready while waiting for the takeover: " + last, 0x2, last.key());
            Thread.sleep(100);
        }
        throw new AssertionError("no takeover within " + millis + " ms; last answer " + last);
    }

    private static void writeAll(TestInitiator ini, long lba, byte[] data) throws IOException {
        int chunk = 64 << 10;
        for (int off = 0; off < data.length; off += chunk) {
            byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk));
            Reply r = command(ini, rw10(0x2a, lba + off / BLOCK, part.length / BLOCK), 0, part);
            assertEquals("WRITE(10) at LBA " + (lba + off / BLOCK) + ": " + r, 0, r.status);
        }
    }

    private static byte[] readAll(TestInitiator ini, long lba, int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunk = 64 << 10;
        for (int off = 0; off < length; off += chunk) {
            int n = Math.min(chunk, length - off);
            Reply r = command(ini, rw10(0x28, lba + off / BLOCK, n / BLOCK), n, null);
            assertEquals("READ(10) at LBA " + (lba + off / BLOCK) + ": " + r, 0, r.status);
            out.write(r.data);
        }
        return out.toByteArray();
    }

    private static byte[] cdb(int opcode) {
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        return c;
    }

    private static byte[] rw10(int opcode, long lba, int blocks) {
        ByteBuffer c = ByteBuffer.allocate(16);
        c.put(0, (byte) opcode);
        c.putInt(2, (int) lba);
        c.putShort(7, (short) blocks);
        return c.array();
    }

    /** One command: WRITE data goes as immediate data (at most 64 KiB); returns status, sense and read data. */
    private static Reply command(TestInitiator ini, byte[] cdb, int readLength, byte[] writeData) throws IOException {
        int itt = ini.nextItt();
        byte[] out = writeData == null ? new byte[0] : writeData;
        ini.send(ini.commandPdu(itt, readLength > 0, writeData != null, writeData != null ? out.length : readLength, cdb, out));
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        while (true) {
            TestInitiator.Pdu p = ini.read();
            if (ByteBuffer.wrap(p.header()).getInt(16) != itt) continue;
            if (p.opcode() == 0x25) {
                in.write(p.data());
                if ((p.header()[1] & 0x01) != 0) return new Reply(p.header()[3] & 0xff, new byte[0], in.toByteArray());
            } else if (p.opcode() == 0x21) {
                byte[] d = p.data();
                byte[] sense = d.length < 2 ? new byte[0] : Arrays.copyOfRange(d, 2, 2 + ((d[0] & 0xff) << 8 | d[1] & 0xff));
                return new Reply(p.header()[3] & 0xff, sense, in.toByteArray());
            } else {
                throw new IOException("unexpected opcode 0x" + Integer.toHexString(p.opcode()) + " for ITT " + itt);
            }
        }
    }
}
