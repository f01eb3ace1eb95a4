package org.elastichadoop.iscsi.volume.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog.Versioned;
import org.elastichadoop.iscsi.volume.log.VolumeRecord.Checkpoint;
import org.elastichadoop.iscsi.volume.log.VolumeRecord.EpochStart;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/** What every {@link VolumeCatalog} does; each backend runs it against a fresh, empty catalog. */
public abstract class VolumeCatalogContract {
    protected VolumeCatalog catalog;

    /** A new, empty catalog for one test. */
    protected abstract VolumeCatalog newCatalog() throws Exception;

    @Before
    public void openCatalog() throws Exception {
        catalog = newCatalog();
    }

    @After
    public void closeCatalog() {
        if (catalog != null) catalog.close();
    }

    static VolumeRecord record(String name) {
        return new VolumeRecord(name, UUID.randomUUID().toString(), 1L << 30, 4096, 0, List.of(), null,
                System.currentTimeMillis());
    }

    @Test
    public void createThenReadRoundTripsEveryField() {
        VolumeRecord vol = new VolumeRecord("vol-a", UUID.randomUUID().toString(), 8L << 30, 512, 3,
                List.of(new EpochStart(2, 40), new EpochStart(3, 57)), new Checkpoint("ckpt/vol-a/000039", 39),
                1_700_000_000_123L);
        Versioned created = catalog.create(vol);
        assertEquals(0, created.version());
        assertEquals(vol, created.record());

        Versioned read = catalog.read("vol-a").orElseThrow();
        assertEquals(vol, read.record());
        assertEquals(0, read.version());
    }

    @Test
    public void recordWithoutCheckpointOrEpochsRoundTrips() {
        VolumeRecord vol = record("fresh");
        catalog.create(vol);
        assertEquals(vol, catalog.read("fresh").orElseThrow().record());
    }

    @Test
    public void readOfUnknownNameIsEmpty() {
        assertEquals(Optional.empty(), catalog.read("nobody"));
    }

    @Test
    public void createTwiceFailsWithExists() {
        VolumeRecord first = record("dup");
        catalog.create(first);
        CatalogException e = assertThrows(CatalogException.class, () -> catalog.create(record("dup")));
        assertEquals(CatalogException.Reason.EXISTS, e.reason());
        assertEquals(first, catalog.read("dup").orElseThrow().record());
    }

    @Test
    public void compareAndSetAtCurrentVersionBumpsTheVersion() {
        Versioned v0 = catalog.create(record("cas"));
        VolumeRecord next = v0.record().withEpoch(1, List.of(new EpochStart(1, 0)));
        Versioned v1 = catalog.compareAndSet("cas", v0.version(), next).orElseThrow();
        assertEquals(v0.version() + 1, v1.version());
        assertEquals(next, v1.record());
        assertEquals(v1, catalog.read("cas").orElseThrow());

        Versioned v2 = catalog.compareAndSet("cas", v1.version(), next.withSize(2L << 30)).orElseThrow();
        assertEquals(v1.version() + 1, v2.version());
    }

    @Test
    public void compareAndSetAtStaleVersionChangesNothing() {
        Versioned v0 = catalog.create(record("stale"));
        Versioned v1 = catalog.compareAndSet("stale", 0, v0.record().withEpoch(1, List.of())).orElseThrow();

        assertEquals(Optional.empty(), catalog.compareAndSet("stale", 0, v0.record().withEpoch(7, List.of())));
        assertEquals(Optional.empty(), catalog.compareAndSet("stale", 5, v0.record().withEpoch(7, List.of())));
        assertEquals(v1, catalog.read("stale").orElseThrow());
    }

    @Test
    public void compareAndSetOfMissingVolumeIsEmpty() {
        assertEquals(Optional.empty(), catalog.compareAndSet("ghost", 0, record("ghost")));
    }

    @Test
    public void racingCompareAndSetsHaveOneWinnerPerVersion() throws Exception {
        catalog.create(record("race"));
        int threads = 2;
        int attemptsEach = 100;
        Set<Integer> wonFrom = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int wins = 0;
                    for (int i = 0; i < attemptsEach; i++) {
                        Versioned cur = catalog.read("race").orElseThrow();
                        VolumeRecord next = cur.record().withEpoch(cur.record().epoch() + 1, List.of());
                        Optional<Versioned> won = catalog.compareAndSet("race", cur.version(), next);
                        if (won.isPresent()) {
                            wins++;
                            assertEquals(cur.version() + 1, won.get().version());
                            if (!wonFrom.add(cur.version())) duplicates.incrementAndGet();
                        }
                    }
                    return wins;
                }));
            }
            int successes = 0;
            for (Future<Integer> f : results) successes += f.get(120, TimeUnit.SECONDS);

            assertEquals("two winners for the same version", 0, duplicates.get());
            assertEquals(successes, wonFrom.size());
            List<Integer> versions = new ArrayList<>(wonFrom);
            Collections.sort(versions);
            for (int v = 0; v < versions.size(); v++) assertEquals(v, (int) versions.get(v));
            Versioned last = catalog.read("race").orElseThrow();
            assertEquals(successes, last.record().epoch());
            assertEquals(successes, last.version());
            assertTrue(successes >= attemptsEach); // every round has a winner, so at least one thread's worth
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void deleteNeedsTheCurrentVersion() {
        Versioned v0 = catalog.create(record("gone"));
        catalog.compareAndSet("gone", v0.version(), v0.record().withEpoch(1, List.of())).orElseThrow();

        assertFalse(catalog.delete("gone", 0));
        assertTrue(catalog.read("gone").isPresent());
        assertTrue(catalog.delete("gone", 1));
        assertEquals(Optional.empty(), catalog.read("gone"));
        assertFalse(catalog.delete("gone", 1));
        assertEquals(List.of(), catalog.list());
    }

    @Test
    public void nameIsFreeAgainAfterDelete() {
        catalog.create(record("again"));
        assertTrue(catalog.delete("again", 0));
        VolumeRecord second = record("again");
        assertEquals(0, catalog.create(second).version());
        assertEquals(second, catalog.read("again").orElseThrow().record());
    }

    @Test
    public void listIsSorted() {
        assertEquals(List.of(), catalog.list());
        for (String name : List.of("zeta", "Alpha", "beta", "a.1", "a-2", "a_3")) catalog.create(record(name));
        assertEquals(List.of("Alpha", "a-2", "a.1", "a_3", "beta", "zeta"), catalog.list());
    }

    @Test
    public void badNamesAreRefused() {
        String longest = "v".repeat(64);
        catalog.create(record(longest));
        assertTrue(catalog.read(longest).isPresent());

        for (String bad : new String[] {"", ".", "..", "a/b", "with space", "v".repeat(65), "ü", "a:b", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.create(record(bad)));
            assertTrue(e.getMessage(), e.getMessage().contains("1 to 64 characters"));
            assertThrows(IllegalArgumentException.class, () -> catalog.read(bad));
            assertThrows(IllegalArgumentException.class, () -> catalog.delete(bad, 0));
        }
        assertEquals(List.of(longest), catalog.list());
    }

    @Test
    public void compareAndSetCannotRename() {
        Versioned v0 = catalog.create(record("keep"));
        assertThrows(IllegalArgumentException.class, () -> catalog.compareAndSet("keep", v0.version(), record("other")));
        assertEquals(v0, catalog.read("keep").orElseThrow());
    }
}
