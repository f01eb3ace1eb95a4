package org.elastichadoop.kv.node;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.elastichadoop.kv.client.KvClient;
import org.elastichadoop.kv.wire.Flags;
import org.elastichadoop.kv.wire.KeyRequest;
import org.elastichadoop.kv.wire.MessageEncoder;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.PutRequest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Random, truncated, mutated and oversized frames against live nodes, then ordinary work. */
public class BadInputIT {
    private static final int FRAMES = 12_000;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void garbageClosesOnlyItsOwnConnectionAndTheNodeGoesOnServing() throws Exception {
        try (LocalCluster cluster = new LocalCluster(tmp.getRoot().toPath(), 3)) {
            KvClient client = cluster.client();
            LocalCluster.await("3 members", 10_000, () -> client.nodes().size() == 3);
            KvNode target = cluster.node(0);
            int port = target.info().port();

            // a well-behaved connection kept open through the whole attack
            try (Socket steady = new Socket("127.0.0.1", port)) {
                steady.setSoTimeout(5_000);
                AtomicLong sent = new AtomicLong();
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = t;
                    jobs.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        for (int i = 0; i < FRAMES / 4; i++) {
                            sendBad(port, badFrame(r, i), r.nextBoolean());
                            sent.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> j : jobs) {
                    j.get();
                }
                pool.shutdown();
                assertEquals(FRAMES, sent.get());

                // the steady connection still gets its answer
                ByteBuf req = Unpooled.buffer();
                MessageEncoder.encodeTo(new KeyRequest(Op.GET, 77, Flags.COORDINATE, "absent".getBytes(StandardCharsets.UTF_8)), req);
                OutputStream out = steady.getOutputStream();
                out.write(req.array(), 0, req.readableBytes());
                out.flush();
                byte[] answer = steady.getInputStream().readNBytes(4 + 12 + 1);
                assertEquals(17, answer.length);
                assertEquals("NOT_FOUND status", 1, answer[16]);
            }

            assertTrue("bad frames were counted: " + target.metrics().getBadFrames(), target.metrics().getBadFrames() > FRAMES / 4);
            assertEquals("every node still a member", 3, client.nodes().size());
            Random r = new Random(7);
            for (int i = 0; i < 100; i++) {
                byte[] k = ("after-fuzz-" + i).getBytes(StandardCharsets.UTF_8);
                byte[] v = new byte[1 + r.nextInt(5000)];
                r.nextBytes(v);
                client.put(k, v).join();
                assertArrayEquals(v, client.get(k).join());
            }
        }
    }

    /** One of: random bytes, a valid frame cut short, a valid frame with flipped bits, an absurd length. */
    private static byte[] badFrame(Random r, int i) {
        byte[] valid = validFrame(r, i);
        switch (r.nextInt(5)) {
            case 0: {
                byte[] junk = new byte[r.nextInt(300)];
                r.nextBytes(junk);
                return junk;
            }
            case 1:
                return java.util.Arrays.copyOf(valid, r.nextInt(valid.length));
            case 2: {
                byte[] m = valid.clone();
                for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
                    m[r.nextInt(Math.min(m.length, 24))] ^= (byte) (1 << r.nextInt(8));
                }
                return m;
            }
            case 3: {
                byte[] m = valid.clone();
                int len = r.nextBoolean() ? Integer.MAX_VALUE : 64 * 1024 * 1024 + r.nextInt(1000);
                m[0] = (byte) (len >>> 24);
                m[1] = (byte) (len >>> 16);
                m[2] = (byte) (len >>> 8);
                m[3] = (byte) len;
                return m;
            }
            default: {
                // a length that claims fewer bytes than the header needs, or a negative one
                byte[] m = valid.clone();
                m[0] = (byte) (r.nextBoolean() ? 0xff : 0);
                m[1] = 0;
                m[2] = 0;
                m[3] = (byte) r.nextInt(12);
                return m;
            }
        }
    }

    private static byte[] validFrame(Random r, int i) {
        byte[] value = new byte[r.nextInt(200)];
        r.nextBytes(value);
        ByteBuf b = Unpooled.buffer();
        MessageEncoder.encodeTo(PutRequest.of(i, Flags.COORDINATE, ("fuzz-" + i).getBytes(StandardCharsets.UTF_8),
                KvClient.crc32c(value), value), b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static void sendBad(int port, byte[] frame, boolean readUntilClosed) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2_000);
            s.getOutputStream().write(frame);
            s.getOutputStream().flush();
            if (readUntilClosed) {
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                try {
                    while (in.read() >= 0) {
                        // drain whatever answer or error comes until the node closes
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // a truncated frame: the node waits for the rest; we hang up
                } catch (java.net.SocketException reset) {
                    // the node closed on us
                }
            }
        }
    }
}
