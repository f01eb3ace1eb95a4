package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Random and mutated PDUs against a live target, before and after login: at least 100,000 of them.
 * Meanwhile a witness session on another target keeps doing I/O and must never fail or stall, and
 * afterwards a fresh session on the fuzzed target writes and reads back correctly.
 * Seed: -Dfuzz.seed=N (printed).
 */
public class FuzzIT {
    private static final String FUZZED = "iqn.2026-11.org.elastichadoop.test:fuzzed";
    private static final String WITNESS = "iqn.2026-11.org.elastichadoop.test:witness";
    /** Connections that each send 1-3 PDUs before login; only the first of each is counted (the target reads it). */
    private static final int BEFORE_LOGIN = 10_000;
    private static final int AFTER_LOGIN = 100_000;

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private int witnessRounds;

    @Test
    public void randomAndMutatedPdusHarmNobody() throws Exception {
        System.out.println("fuzz seed " + seed);
        try (RunningBridge bridge = RunningBridge.start(List.of(
                RunningBridge.fileTarget(FUZZED, dir.getRoot().toPath().resolve("fuzzed.img"), "16M"),
                RunningBridge.fileTarget(WITNESS, dir.getRoot().toPath().resolve("witness.img"), "16M")));
             TestInitiator witness = TestInitiator.connect(bridge.port(), 10_000)) {
            witness.login("iqn.2026-11.test:witness", WITNESS);
            witnessWorks(witness);

            int before = 0;
            int connections = 0;
            while (before < BEFORE_LOGIN) {
                before += beforeLogin(bridge.port());
                if (++connections % 1000 == 0) witnessWorks(witness);
            }
            int after = 0;
            int sessions = 0;
            while (after < AFTER_LOGIN && sessions < 5000) {
                after += afterLogin(bridge.port(), Math.min(2000, AFTER_LOGIN - after));
                sessions++;
                witnessWorks(witness);
            }
            System.out.printf("%d PDUs before login (%d connections), %d after login confirmed handled (%d sessions); "
                    + "witness checked %d times%n", before, connections, after, sessions, witnessRounds);
            assertTrue(after >= AFTER_LOGIN);

            witnessWorks(witness);
            try (TestInitiator fresh = TestInitiator.connect(bridge.port(), 10_000)) {
                fresh.login("iqn.2026-11.test:after-fuzz", FUZZED);
                byte[] pattern = pattern(8192);
                assertEquals(0, fresh.write10(100, pattern));
                assertArrayEquals(pattern, fresh.read10(100, 16));
            }
        }
    }

    /** One connection that never logs in: 1-3 random or mutated PDUs, then an abrupt close. */
    private int beforeLogin(int port) throws IOException {
        int count = 1 + random.nextInt(3);
        try (TestInitiator c = TestInitiator.connect(port, 10_000)) {
            for (int i = 0; i < count; i++) {
                byte[] pdu = switch (random.nextInt(4)) {
                    case 0 -> randomBytes(48 + random.nextInt(200));
                    case 1 -> mutate(TestInitiator.loginPdu("iqn.2026-11.test:fuzz", FUZZED, isid(), 0), 1 + random.nextInt(6));
                    case 2 -> truncate(TestInitiator.loginPdu("iqn.2026-11.test:fuzz", FUZZED, isid(), 0));
                    default -> loginWithRandomText();
                };
                try {
                    c.send(pdu);
                } catch (IOException closedByTarget) {
                    break;
                }
            }
        }
        return 1;
    }

    /**
     * One logged-in session receiving up to {@code budget} mutated full-feature PDUs. Every 100 PDUs
     * a NOP-Out ping follows; the target answers in order, so its NOP-In proves that it read and
     * handled every PDU before it. Only PDUs proven that way are counted.
     */
    private int afterLogin(int port, int budget) throws Exception {
        try (TestInitiator c = TestInitiator.connect(port, 10_000)) {
            c.login("iqn.2026-11.test:fuzz-" + random.nextInt(4), FUZZED);
            Map<Integer, Integer> pings = new ConcurrentHashMap<>();
            AtomicInteger confirmed = new AtomicInteger();
            Thread drain = drainer(c.socket(), pings, confirmed);
            int sent = 0;
            try {
                while (sent < budget) {
                    byte[] pdu = fullFeaturePdu(c);
                    if (random.nextInt(4) == 0) pdu = mutateKeepingFrame(pdu, 1 + random.nextInt(4));
                    c.send(pdu);
                    sent++;
                    if (sent % 100 == 0) ping(c, pings, sent);
                }
                ping(c, pings, sent);
                long end = System.currentTimeMillis() + 2000;
                while (confirmed.get() < sent && drain.isAlive() && System.currentTimeMillis() < end) Thread.sleep(5);
            } catch (IOException closedByTarget) {
                // the target closed this connection (a PDU it could not frame, a logout, a reset)
            }
            c.close();
            drain.join(10_000);
            return confirmed.get();
        }
    }

    private static final int PING_TAG = 0x7e000000;

    private void ping(TestInitiator c, Map<Integer, Integer> pings, int sentBefore) throws IOException {
        int tag = PING_TAG + pings.size();
        pings.put(tag, sentBefore);
        ByteBuffer h = header(0x40, 0x80, 0); // immediate NOP-Out that wants an answer
        h.putInt(16, tag);
        h.putInt(20, 0xffffffff);
        h.putInt(24, c.cmdSNNow());
        c.send(h.array());
    }

    private byte[] fullFeaturePdu(TestInitiator c) {
        int itt = random.nextInt(8) == 0 ? random.nextInt(4) : c.nextItt();
        switch (random.nextInt(10)) {
            case 0, 1, 2 -> {
                // a SCSI command with a random opcode and fields
                byte[] cdb = randomBytes(16);
                if (random.nextBoolean()) cdb[0] = (byte) new int[]{0x00, 0x03, 0x12, 0x1a, 0x25, 0x28, 0x2a, 0x35, 0x41, 0x42,
                        0x5e, 0x5f, 0x88, 0x8a, 0x89, 0x9e, 0xa0, 0xa3, 0x93, 0x2f}[random.nextInt(20)];
                int expected = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(70_000);
                byte[] data = random.nextInt(3) == 0 ? randomBytes(random.nextInt(4096)) : new byte[0];
                return c.commandPdu(itt, random.nextBoolean(), random.nextBoolean(), expected, cdb, data);
            }
            case 3, 4 -> {
                // Data-Out for a recent or random task
                byte[] data = randomBytes(random.nextInt(2048));
                ByteBuffer h = header(0x05, random.nextBoolean() ? 0x80 : 0, data.length);
                h.putInt(16, itt);
                h.putInt(20, random.nextBoolean() ? 0xffffffff : random.nextInt(64));
                h.putInt(28, c.expStatSN());
                h.putInt(36, random.nextInt(3));
                h.putInt(40, random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(8) * 512);
                return TestInitiator.concat(h.array(), TestInitiator.pad(data));
            }
            case 5 -> {
                byte[] data = randomBytes(random.nextInt(256));
                ByteBuffer h = header(0x00 | (random.nextBoolean() ? 0x40 : 0), 0x80, data.length);
                h.putInt(16, random.nextBoolean() ? itt : 0xffffffff);
                h.putInt(20, random.nextBoolean() ? 0xffffffff : random.nextInt());
                h.putInt(24, c.nextCmdSN());
                return TestInitiator.concat(h.array(), TestInitiator.pad(data));
            }
            case 6 -> {
                // task management; a cold reset (7) ends the connection, so it is rare
                int function = random.nextInt(40) == 0 ? 7 : new int[]{1, 2, 3, 4, 5, 6, 8, 0, 9, 127}[random.nextInt(10)];
                ByteBuffer h = header(0x42, 0x80 | function, 0);
                h.putInt(16, itt);
                h.putInt(20, random.nextInt(16));
                h.putInt(24, c.nextCmdSN());
                return h.array();
            }
            case 7 -> {
                String[] texts = {"SendTargets=All", "SendTargets=", "SendTargets=" + FUZZED, "Foo=Bar", "SendTargets=Nope",
                        "MaxRecvDataSegmentLength=512", "=", "SendTargets"};
                byte[] data = (texts[random.nextInt(texts.length)] + "\0").getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = header(0x44, 0x80 | (random.nextInt(5) == 0 ? 0x40 : 0), data.length);
                h.putInt(16, itt);
                h.putInt(20, 0xffffffff);
                h.putInt(24, c.nextCmdSN());
                return TestInitiator.concat(h.array(), TestInitiator.pad(data));
            }
            case 8 -> {
                // rare: logout, SNACK, login in full feature, or an unknown opcode
                int op = new int[]{0x46, 0x10, 0x43, 0x1c, 0x3f, 0x07, 0x21}[random.nextInt(7)];
                if (op == 0x46 && random.nextInt(10) != 0) op = 0x1c;
                ByteBuffer h = header(op, 0x80, 0);
                h.putInt(16, itt);
                h.putInt(24, c.nextCmdSN());
                return h.array();
            }
            default -> {
                if (random.nextInt(50) == 0) return randomBytes(48 + random.nextInt(100)); // breaks the framing
                // a random header that still frames: no AHS, a short data segment of random bytes
                byte[] data = randomBytes(random.nextInt(1024));
                ByteBuffer h = ByteBuffer.wrap(randomBytes(48));
                h.put(4, (byte) 0);
                h.put(5, (byte) 0);
                h.putShort(6, (short) data.length);
                return TestInitiator.concat(h.array(), TestInitiator.pad(data));
            }
        }
    }

    /**
     * Random bytes written over a PDU; the length fields (bytes 4-7) are left alone but for one time
     * in twenty, since a PDU whose length is wrong ends the connection and everything after it.
     */
    private byte[] mutateKeepingFrame(byte[] pdu, int flips) {
        byte[] copy = pdu.clone();
        boolean framing = random.nextInt(20) == 0;
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(Math.min(copy.length, random.nextBoolean() ? 48 : copy.length));
            if (!framing && at >= 4 && at <= 7) continue;
            copy[at] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static ByteBuffer header(int opcode, int flags, int dataLength) {
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) opcode);
        h.put(1, (byte) flags);
        h.putInt(4, dataLength & 0xffffff);
        return h;
    }

    /** Reads the target's answers; a NOP-In answering one of our pings confirms the PDUs sent before it. */
    private static Thread drainer(Socket socket, Map<Integer, Integer> pings, AtomicInteger confirmed) {
        Thread t = new Thread(() -> {
            try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
                byte[] header = new byte[48];
                while (true) {
                    in.readFully(header);
                    ByteBuffer h = ByteBuffer.wrap(header);
                    int length = h.getInt(4) & 0xffffff;
                    in.skipNBytes(((header[4] & 0xff) * 4) + length + ((4 - (length & 3)) & 3));
                    Integer before = (header[0] & 0x3f) == 0x20 ? pings.get(h.getInt(16)) : null;
                    if (before != null) confirmed.accumulateAndGet(before, Math::max);
                }
            } catch (IOException closed) {
                // the connection ended
            }
        }, "fuzz-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void witnessWorks(TestInitiator witness) throws IOException {
        byte[] data = pattern(4096);
        int lba = random.nextInt(1000);
        assertEquals("witness WRITE(10) status", 0, witness.write10(lba, data));
        assertArrayEquals("witness reads back what it wrote", data, witness.read10(lba, 8));
        witnessRounds++;
    }

    private byte[] pattern(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] isid() {
        return new byte[]{(byte) 0x80, 1, 2, 3, 4, (byte) random.nextInt(128)};
    }

    private byte[] mutate(byte[] pdu, int flips) {
        byte[] copy = pdu.clone();
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(Math.min(copy.length, random.nextBoolean() ? 48 : copy.length));
            copy[at] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private byte[] truncate(byte[] pdu) {
        byte[] copy = new byte[1 + random.nextInt(pdu.length - 1)];
        System.arraycopy(pdu, 0, copy, 0, copy.length);
        return copy;
    }

    private byte[] loginWithRandomText() {
        StringBuilder text = new StringBuilder();
        String[] keys = {"InitiatorName", "TargetName", "SessionType", "AuthMethod", "HeaderDigest", "MaxRecvDataSegmentLength",
                "MaxBurstLength", "FirstBurstLength", "ErrorRecoveryLevel", "CHAP_A", "CHAP_R", "X-foo", "MaxConnections"};
        String[] values = {"", "None", "CHAP", "Discovery", "Normal", "0", "1", "-5", "99999999999", "Yes", "No", "CRC32C,None",
                FUZZED, "iqn.2026-11.test:x", "0x00", "Reject", "NotUnderstood"};
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            text.append(keys[random.nextInt(keys.length)]).append('=').append(values[random.nextInt(values.length)]).append('\0');
        }
        byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = header(0x43, random.nextInt(256), data.length);
        h.put(8, isid());
        return TestInitiator.concat(h.array(), TestInitiator.pad(data));
    }
}
