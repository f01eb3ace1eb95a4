package org.elastichadoop.iscsi.bench;

import org.elastichadoop.iscsi.volume.log.map.LbaMap;
import org.elastichadoop.iscsi.volume.log.map.MapState;
import org.elastichadoop.iscsi.volume.log.map.PageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The LBA map alone, as a log volume drives it under random 4 KiB writes: a write is one map record, a segment
 * holds 1,024 of them, a checkpoint follows every 64 segments and merges follow checkpoints. Pages go to files (off
 * the heap, as they go to the store in a volume). At each milestone it prints the heap in use after a full
 * collection, the map's own estimate of its heap, and the map bytes written (pages and checkpoint records) against
 * the user bytes the writes stand for.
 */
@Command(name = "map-bench", mixinStandardHelpOptions = true,
        description = "The log volume's LBA map under random 4 KiB writes: heap and bytes written against extents.")
public final class MapBench implements Callable<Integer> {
    private static final int WRITES_PER_SEGMENT = 1024;
    private static final int SEGMENTS_PER_CHECKPOINT = 64;

    @Option(names = "--extents", description = "random writes in all (default: ${DEFAULT-VALUE})")
    long extents = 2_000_000;

    @Option(names = "--milestones", split = ",", description = "extent counts to report at (default: 200000,2000000 and the total)")
    List<Long> milestones = List.of(200_000L, 2_000_000L);

    @Option(names = "--volume-gib", description = "the volume's size, over which writes land at random (default: ${DEFAULT-VALUE})")
    long volumeGib = 1024;

    @Option(names = "--cache-mb", description = "the map's page cache (default: ${DEFAULT-VALUE})")
    long cacheMb = 64;

    @Option(names = "--dir", description = "where the pages go; emptied first (default: ${DEFAULT-VALUE})")
    Path dir = Path.of("map-bench-data");

    @Option(names = "--lookups", description = "random single-block lookups timed at each milestone (default: ${DEFAULT-VALUE})")
    int lookups = 2_000;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MapBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int blockSize = 4096;
        long blocks = (volumeGib << 30) / blockSize;
        deleteTree(dir);
        Files.createDirectories(dir);
        FilePages pages = new FilePages(dir);
        LbaMap map = LbaMap.empty(blockSize, pages, cacheMb << 20, 1);
        Random random = new Random(seed);
        long stateBytes = 0;
        long started = System.nanoTime();
        System.out.printf("map-bench: %,d random 4 KiB writes over %d GiB, page cache %d MiB, -Xmx%d MiB; pages in %s%n",
                extents, volumeGib, cacheMb, Runtime.getRuntime().maxMemory() >> 20, dir);
        System.out.printf("%12s %9s %5s %12s %12s %10s %10s %12s %9s %10s%n", "extents", "records", "runs", "heap used",
                "map heap", "map MiB", "user MiB", "map / user", "writes/s", "lookup us");
        for (long i = 1; i <= extents; i++) {
            long seq = (i - 1) / WRITES_PER_SEGMENT;
            map.put(Math.floorMod(random.nextLong(), blocks), 1, seq, ((i - 1) % WRITES_PER_SEGMENT) * (long) blockSize);
            if (i % ((long) WRITES_PER_SEGMENT * SEGMENTS_PER_CHECKPOINT) == 0 || i == extents) {
                stateBytes += checkpoint(map, pages);
                merge(map);
            }
            if (milestones.contains(i) || i == extents) {
                double seconds = (System.nanoTime() - started) / 1e9;
                double lookupMicros = timeLookups(map, random, blocks);
                long mapBytes = map.pageBytesWritten() + stateBytes;
                long userBytes = i * blockSize;
                System.out.printf("%,12d %,9d %5d %9.1f MiB %9.1f MiB %10.1f %,10d %11.2f%% %,9.0f %10.1f%n", i, map.records(),
                        map.runCount(), heapUsedAfterGc() / 1048576.0, map.heapBytes() / 1048576.0, mapBytes / 1048576.0,
                        userBytes >> 20, 100.0 * mapBytes / userBytes, i / seconds, lookupMicros);
            }
        }
        System.out.printf("map pages in the store now: %,d (%,.1f MiB); page reads: %,d%n", pages.count(), pages.storedBytes() / 1048576.0,
                pages.gets.get());
        if (!Boolean.getBoolean("mapbench.keep")) deleteTree(dir);
        return 0;
    }

    /** A checkpoint as a volume takes it: the memtable becomes a run; returns the bytes of the checkpoint record. */
    private static long checkpoint(LbaMap map, FilePages pages) throws IOException {
        LbaMap.Frozen frozen = map.freeze();
        MapState state = map.install(map.flush(frozen));
        for (long id : frozen.pageGarbage()) pages.delete(id);
        return state.encode().length;
    }

    private static void merge(LbaMap map) throws IOException {
        for (LbaMap.Merge m = map.planMerge(); m != null; m = map.planMerge()) map.install(map.merge(m));
    }

    private double timeLookups(LbaMap map, Random random, long blocks) {
        if (lookups == 0) return 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            long lba = Math.floorMod(random.nextLong(), blocks);
            map.lookup(lba, 1, map.load(lba, 1).join());
        }
        return (System.nanoTime() - t0) / 1e3 / lookups;
    }

    private static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Map pages as files, one per page. */
    static final class FilePages implements PageStore {
        private final Path dir;
        final AtomicLong gets = new AtomicLong();

        FilePages(Path dir) {
            this.dir = dir;
        }

        @Override
        public CompletableFuture<Void> put(long pageId, byte[] bytes) {
            try {
                Files.write(dir.resolve(Long.toString(pageId)), bytes);
                return CompletableFuture.completedFuture(null);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<byte[]> get(long pageId) {
            gets.incrementAndGet();
            try {
                return CompletableFuture.completedFuture(Files.readAllBytes(dir.resolve(Long.toString(pageId))));
            } catch (NoSuchFileException e) {
                return CompletableFuture.completedFuture(null);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        void delete(long pageId) throws IOException {
            Files.deleteIfExists(dir.resolve(Long.toString(pageId)));
        }

        long count() throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.count();
            }
        }

        long storedBytes() throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        }
    }
}
