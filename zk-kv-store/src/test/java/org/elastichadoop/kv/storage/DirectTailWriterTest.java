package org.elastichadoop.kv.storage;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A tail segment written with O_DIRECT, below the store: what is staged, written and readable when. */
public class DirectTailWriterTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Segment directSegment(long segmentBytes) throws Exception {
        Path dir = tmp.newFolder().toPath();
        DirectIo directIo = DirectIo.probe(dir, segmentBytes, FileChannel::open);
        assertNotNull("the test directory must accept O_DIRECT", directIo);
        Segment segment = Segment.create(dir, 1, 0);
        segment.startDirectWrites(directIo);
        return segment;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(Segment segment, long position, int length) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(length);
        segment.readFully(dst, position);
        assertFalse(dst.hasRemaining());
        return dst.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    @Test
    public void appendedRecordsAreReadableBeforeAndAfterTheyAreWritten() throws Exception {
        Segment segment = directSegment(64 * 1024);
        try {
            byte[] a = random(100, 1);
            segment.append(ByteBuffer.wrap(a));
            assertEquals("staged only", 0, Files.size(segment.path()));
            assertArrayEquals(a, read(segment, 0, a.length));

            segment.force();
            assertEquals("one padded block", 4096, Files.size(segment.path()));
            assertArrayEquals(a, read(segment, 0, a.length));

            byte[] b = random(5000, 2);
            segment.append(ByteBuffer.wrap(b));
            assertEquals(4096, Files.size(segment.path()));
            assertArrayEquals("read across written and staged bytes", concat(a, b), read(segment, 0, 5100));
            assertArrayEquals(b, read(segment, 100, b.length));

            segment.force();
            byte[] onDisk = Files.readAllBytes(segment.path());
            assertEquals(8192, onDisk.length);
            assertArrayEquals(concat(a, b), Arrays.copyOf(onDisk, 5100));
            assertArrayEquals("zero padding", new byte[8192 - 5100], Arrays.copyOfRange(onDisk, 5100, 8192));

            // Larger than the staging buffer: the append writes part of it itself.
            byte[] c = random(200 * 1024, 3);
            segment.append(ByteBuffer.wrap(c));
            assertTrue(Files.size(segment.path()) > 64 * 1024);
            assertArrayEquals(concat(a, b, c), read(segment, 0, 5100 + c.length));
            assertEquals(5100 + c.length, segment.size());

            segment.finishDirectWrites();
            assertFalse(segment.writesDirectly());
            assertArrayEquals("padding cut when writing ends", concat(a, b, c), Files.readAllBytes(segment.path()));
            assertArrayEquals(c, read(segment, 5100, c.length));
        } finally {
            segment.close();
        }
    }

    @Test
    public void writingResumesInThePartialBlockOfAnExistingFile() throws Exception {
        Path dir = tmp.newFolder().toPath();
        byte[] a = random(6000, 4);
        Segment first = Segment.create(dir, 1, 0);
        first.append(ByteBuffer.wrap(a));
        first.close();

        DirectIo directIo = DirectIo.probe(dir, 1 << 20, FileChannel::open);
        Segment segment = Segment.open(dir, 1, 0, true, Segment.State.ACTIVE);
        try {
            segment.startDirectWrites(directIo);
            byte[] b = random(3000, 5);
            segment.append(ByteBuffer.wrap(b));
            segment.force();
            assertEquals(12288, Files.size(segment.path()));
            assertArrayEquals(concat(a, b), read(segment, 0, 9000));
            segment.finishDirectWrites();
            assertArrayEquals(concat(a, b), Files.readAllBytes(segment.path()));
        } finally {
            segment.close();
        }
    }

    /**
     * One thread appends (publishing each record only once append returned, as the index does), one flushes
     * and forces like the sync thread, and readers check every byte they read: the staging buffers swap and
     * are reused under them the whole time.
     */
    @Test
    public void concurrentReadersNeverSeeTornOrStaleBytes() throws Exception {
        Segment segment = directSegment(16 * 1024);
        List<long[]> published = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        try {
            List<Future<?>> workers = new ArrayList<>();
            workers.add(pool.submit(() -> {
                for (int i = 0; System.nanoTime() < deadline; i++) {
                    byte[] record = recordBytes(i);
                    long offset = segment.size();
                    segment.append(ByteBuffer.wrap(record));
                    synchronized (published) {
                        published.add(new long[] {i, offset});
                    }
                }
                return null;
            }));
            workers.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    segment.force();
                }
                return null;
            }));
            for (int r = 0; r < 2; r++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long[] record;
                        synchronized (published) {
                            if (published.isEmpty()) {
                                continue;
                            }
                            // Mostly the newest records: those are the ones still staged or in flight.
                            ThreadLocalRandom random = ThreadLocalRandom.current();
                            int n = published.size();
                            int newest = Math.max(0, n - 1 - random.nextInt(8));
                            record = published.get(random.nextInt(4) == 0 ? random.nextInt(n) : newest);
                        }
                        byte[] expected = recordBytes((int) record[0]);
                        assertArrayEquals("record " + record[0], expected, read(segment, record[1], expected.length));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
            assertTrue("appended " + published.size(), published.size() > 100);
            segment.finishDirectWrites();
            for (long[] record : published) {
                byte[] expected = recordBytes((int) record[0]);
                assertArrayEquals(expected, read(segment, record[1], expected.length));
            }
            assertEquals(segment.size(), Files.size(segment.path()));
        } finally {
            pool.shutdownNow();
            segment.close();
        }
    }

    private static byte[] recordBytes(int i) {
        byte[] bytes = new byte[1 + (i * 7919) % 6000];
        for (int j = 0; j < bytes.length; j++) {
            bytes[j] = (byte) (i * 31 + j + 1);
        }
        return bytes;
    }
}
