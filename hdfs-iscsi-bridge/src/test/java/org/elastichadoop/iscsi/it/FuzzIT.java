package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

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
    private static final int BEFORE_LOGIN = 20_000;
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
            while (before < BEFORE_LOGIN) {
                before += beforeLogin(bridge.port());
                if (before % 2000 < 3) witnessWorks(witness);
            }
            int after = 0;
            int sessions = 0;
            while (after < AFTER_LOGIN) {
                after += afterLogin(bridge.port(), Math.min(2000, AFTER_LOGIN - after));
                sessions++;
                witnessWorks(witness);
            }
            System.out.printf("sent %d PDUs before login and %d after login (%d sessions); witness checked %d times%n",
                    before, after, sessions, witnessRounds);
            assertTrue(before + after >= 100_000);

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
                    return i + 1;
                }
            }
        }
        return count;
    }

    /** One logged-in session receiving up to {@code budget} mutated full-feature PDUs. */
    private int afterLogin(int port, int budget) throws Exception {
        try (TestInitiator c = TestInitiator.connect(port, 10_000)) {
            c.login("iqn.2026-11.test:fuzz-" + random.nextInt(4), FUZZED);
            Thread drain = drainer(c.socket());
            int sent = 0;
            try {
                while (sent < budget) {
                    byte[] pdu = fullFeaturePdu(c);
                    if (random.nextInt(4) == 0) pdu = mutate(pdu, 1 + random.nextInt(4));
                    c.send(pdu);
                    sent++;
                }
            } catch (IOException closedByTarget) {
                sent++; // the PDU that made the target close this connection counts
            }
            c.close();
            drain.join(10_000);
            return sent;
        }
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
                ByteBuffer h = header(0x42, 0x80 | (1 + random.nextInt(8)), 0);
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
                return randomBytes(48 + random.nextInt(100));
            }
        }
    }

    private static ByteBuffer header(int opcode, int flags, int dataLength) {
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) opcode);
        h.put(1, (byte) flags);
        h.putInt(4, dataLength & 0xffffff);
        return h;
    }

    private static Thread drainer(Socket socket) {
        Thread t = new Thread(() -> {
            byte[] sink = new byte[65536];
            try (InputStream in = socket.getInputStream()) {
                while (in.read(sink) >= 0) {
                    // responses are not checked here; the witness and the final session check the target
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
