package org.elastichadoop.kv.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.elastichadoop.kv.consensus.Choice;
import org.elastichadoop.kv.consensus.Outcome;
import org.elastichadoop.kv.consensus.Proposer;
import org.elastichadoop.kv.consensus.Reader;
import org.elastichadoop.kv.consensus.Replica;
import org.elastichadoop.kv.consensus.ReplicaSet;
import org.elastichadoop.kv.storage.LogStore;
import org.elastichadoop.kv.storage.StoreOptions;
import org.elastichadoop.kv.wire.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Racing proposers over three real replicas (Acceptor on a LogStore each) behind a network that delays,
 * loses requests and loses answers at random: at most one value is ever chosen, a proposer is told another value
 * was chosen only when one was, and reads afterwards agree with every acknowledgement. Each proposer sees the same
 * fixed replica set, as coordinators do; each picks its own order and timing, so their "copy sets" differ freely.
 */
public class ProposerRaceTest {
    private static final int RACERS = 4;
    private static final int KEYS = 150;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<LogStore> stores = new ArrayList<>();
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final Choice choice = new Choice(3, 2);

    @Before
    public void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            LogStore s = LogStore.open(tmp.newFolder().toPath(), StoreOptions.builder().directIo(false).build());
            stores.add(s);
            acceptors.add(new Acceptor("r" + i, new LocalStore(s), () -> 0));
        }
    }

    @After
    public void stop() throws Exception {
        for (LogStore s : stores) {
            s.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int crc(byte[] v) {
        CRC32C c = new CRC32C();
        c.update(v);
        return (int) c.getValue();
    }

    /** A replica behind a lossy, slow link: requests may be lost before or after the replica acts on them. */
    private static final class LossyLink implements Replica {
        private final Replica target;
        private final Random random;
        private final double loss;
        /** Set when the proposer using this link has crashed: nothing more leaves it. */
        volatile boolean dead;

        LossyLink(Replica target, long seed, double loss) {
            this.target = target;
            this.random = new Random(seed);
            this.loss = loss;
        }

        private synchronized int roll() {
            double r = random.nextDouble();
            return r < loss / 2 ? 1 : r < loss ? 2 : 0; // 1: request lost, 2: answer lost
        }

        private synchronized long delayMicros() {
            return random.nextInt(3000);
        }

        private CompletableFuture<Response> send(Supplier<CompletableFuture<Response>> call) {
            if (dead) {
                return CompletableFuture.failedFuture(new java.io.IOException("the proposer crashed"));
            }
            int fate = roll();
            var later = org.elastichadoop.kv.consensus.Delays.after(delayMicros(), TimeUnit.MICROSECONDS);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> {
                if (fate == 1) {
                    return CompletableFuture.failedFuture(new java.io.IOException("request lost"));
                }
                CompletableFuture<Response> f = call.get();
                return fate == 2 ? f.thenCompose(r -> CompletableFuture.failedFuture(new java.io.IOException("answer lost"))) : f;
            });
        }

        @Override
        public String id() {
            return target.id();
        }

        @Override
        public CompletableFuture<Response> accept(byte[] key, long ballot, int valueCrc, ByteBuf value) {
            ByteBuf copy = Unpooled.copiedBuffer(value); // the caller may reuse its buffer once this returns
            return send(() -> target.accept(key, ballot, valueCrc, copy));
        }

        @Override
        public CompletableFuture<Response> prepare(byte[] key, long ballot) {
            return send(() -> target.prepare(key, ballot));
        }

        @Override
        public CompletableFuture<Response> commit(byte[] key, long ballot, int valueCrc, int valueLength, boolean durable) {
            return send(() -> target.commit(key, ballot, valueCrc, valueLength, durable));
        }

        @Override
        public CompletableFuture<Response> read(byte[] key) {
            return send(() -> target.read(key));
        }

        @Override
        public CompletableFuture<Response> store(byte[] key, int valueCrc, ByteBuf value) {
            ByteBuf copy = Unpooled.copiedBuffer(value);
            return send(() -> target.store(key, valueCrc, copy));
        }

        @Override
        public CompletableFuture<Response> delete(byte[] key) {
            return send(() -> target.delete(key));
        }
    }

    private ReplicaSet links(long seed, double loss) {
        return links(seed, loss, new ArrayList<>());
    }

    private ReplicaSet links(long seed, double loss, List<LossyLink> made) {
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < acceptors.size(); i++) {
            LossyLink link = new LossyLink(acceptors.get(i), seed * 7 + i, loss);
            made.add(link);
            out.add(link);
        }
        java.util.Collections.shuffle(out, new Random(seed));
        return ReplicaSet.of(out);
    }

    /**
     * Proposals run their timers on one shared thread. CompletableFuture's own delayed executor gave every put's grace
     * timer a new thread wherever the common pool has a single thread (two cores, as on CI): 6,300 thread starts in
     * 46 s of kv-bench on one node.
     */
    @Test
    public void putsStartNoThreadOfTheirOwn() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int k = 0; k < 20; k++) { // every pool the path uses has its threads
            byte[] v = bytes("warm " + k);
            Proposer.propose(links(k, 0), choice, bytes("warm-" + k), crc(v), Unpooled.wrappedBuffer(v), 2_000, r -> { })
                    .get(10, TimeUnit.SECONDS);
        }
        Thread.sleep(2 * 50 + 100); // the warm-up's timers have run
        long before = threads.getTotalStartedThreadCount();
        for (int k = 0; k < 200; k++) {
            byte[] v = bytes("value " + k);
            Outcome o = Proposer.propose(links(k, 0), choice, bytes("quiet-" + k), crc(v), Unpooled.wrappedBuffer(v), 2_000, r -> { })
                    .get(10, TimeUnit.SECONDS);
            assertEquals(Outcome.Kind.CHOSEN, o.kind());
        }
        Thread.sleep(2 * 50 + 100);
        long started = threads.getTotalStartedThreadCount() - before;
        assertTrue("200 puts started " + started + " threads", started < 20);
    }

    @Test
    public void atMostOneValueIsChosenAndEveryReadAgrees() throws Exception {
        int acknowledged = 0;
        int refused = 0;
        int unknown = 0;
        int contested = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = bytes("race-" + k);
            List<CompletableFuture<Outcome>> racing = new ArrayList<>();
            List<ByteBuf> buffers = new ArrayList<>();
            ConcurrentLinkedQueue<byte[]> owed = new ConcurrentLinkedQueue<>();
            for (int c = 0; c < RACERS; c++) {
                byte[] v = bytes("value " + c + " of key " + k);
                ByteBuf b = Unpooled.directBuffer(v.length).writeBytes(v);
                buffers.add(b);
                List<LossyLink> proposersLinks = new ArrayList<>();
                CompletableFuture<Outcome> outcome = Proposer.propose(links(k * 31L + c, 0.15, proposersLinks), choice, key,
                        crc(v), b, 400, r -> owed.add(key));
                // the proposer crashes the moment it has its outcome: nothing it meant to send afterwards arrives
                racing.add(outcome.whenComplete((o, e) -> proposersLinks.forEach(l -> l.dead = true)));
            }
            Set<String> chosen = new HashSet<>();
            Set<String> toldOther = new HashSet<>();
            for (int c = 0; c < RACERS; c++) {
                Outcome o = racing.get(c).get(30, TimeUnit.SECONDS);
                String mine = "value " + c + " of key " + k;
                switch (o.kind()) {
                    case CHOSEN -> {
                        chosen.add(mine);
                        acknowledged++;
                    }
                    case OTHER_CHOSEN -> {
                        String other = new String(o.value().value(), StandardCharsets.UTF_8);
                        assertNotEquals("told another value won, but it is its own", mine, other);
                        toldOther.add(other);
                        refused++;
                    }
                    case UNKNOWN -> unknown++;
                    default -> throw new AssertionError("unexpected outcome " + o);
                }
            }
            contested += chosen.isEmpty() ? 0 : 1;
            int key0 = k;
            for (ByteBuf b : buffers) { // the proposer holds the caller's buffer only as long as a request carries it
                long until = System.currentTimeMillis() + 5_000;
                while (b.refCnt() != 1 && System.currentTimeMillis() < until) {
                    Thread.sleep(5);
                }
                assertEquals("key " + key0 + ": references to a proposer's buffer", 1, b.refCnt());
                b.release();
            }
            assertTrue("key " + k + ": two values acknowledged: " + chosen, chosen.size() <= 1);
            Set<String> all = new HashSet<>(chosen);
            all.addAll(toldOther);
            assertTrue("key " + k + ": proposers were told of different winners: " + all, all.size() <= 1);

            // one replica lost for good, at random: whatever was acknowledged is still read from the other two
            if (!chosen.isEmpty()) {
                int lostIndex = new Random(k).nextInt(acceptors.size());
                String lostId = acceptors.get(lostIndex).id();
                List<Replica> survivors = new ArrayList<>();
                for (int i = 0; i < acceptors.size(); i++) {
                    survivors.add(new LossyLink(acceptors.get(i), k * 13L + i, i == lostIndex ? 1.0 : 0));
                }
                Outcome afterLoss = Reader.read(ReplicaSet.of(survivors).withGone(java.util.Set.of(lostId)), choice, key, 2_000,
                        r -> { }).get(10, TimeUnit.SECONDS);
                assertEquals("key " + k + " with " + lostId + " lost", Outcome.Kind.CHOSEN, afterLoss.kind());
                assertEquals("key " + k + " with " + lostId + " lost", chosen.iterator().next(),
                        new String(afterLoss.value().value(), StandardCharsets.UTF_8));
            }

            // a read over a sound network: the acknowledged value, or the one proposers were told of
            Outcome read = Reader.read(links(k, 0), choice, key, 2_000, r -> { }).get(10, TimeUnit.SECONDS);
            if (!all.isEmpty()) {
                assertEquals("key " + k, Outcome.Kind.CHOSEN, read.kind());
                assertEquals("key " + k, all.iterator().next(), new String(read.value().value(), StandardCharsets.UTF_8));
            }
            Outcome again = Reader.read(links(k + 1, 0), choice, key, 2_000, r -> { }).get(10, TimeUnit.SECONDS);
            assertEquals("key " + k + ": a second read agrees", read.kind(), again.kind());
            if (read.kind() == Outcome.Kind.CHOSEN) {
                assertEquals(new String(read.value().value(), StandardCharsets.UTF_8), new String(again.value().value(), StandardCharsets.UTF_8));
                byte[] late = bytes("a late claim");
                Outcome lateClaim = Proposer.propose(links(k + 2, 0), choice, key, crc(late), Unpooled.wrappedBuffer(late), 2_000,
                        r -> { }).get(10, TimeUnit.SECONDS);
                assertEquals("key " + k + ": a late claim is refused", Outcome.Kind.OTHER_CHOSEN, lateClaim.kind());
            }
        }
        System.out.printf("[proposer-race] %d keys, %d racers each: %d acknowledged, %d refused, %d unknown%n",
                KEYS, RACERS, acknowledged, refused, unknown);
        assertTrue("most keys got a value despite the losses: " + contested, contested > KEYS / 2);
    }
}
