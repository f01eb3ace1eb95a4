package org.elastichadoop.iscsi.volume;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;


public class FileVolumeTest {

    private static final long SIZE = 64L << 20;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private static byte[] read(BlockVolume v, long lba, int blocks) throws IOException {
        ByteBuf b = Unpooled.buffer();
        v.read(lba, blocks, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Allocated 512-byte blocks, as du sees them. */
    private static long allocatedBlocks(Path p) throws Exception {
        Process proc = new ProcessBuilder("stat", "--format=%b", p.toString()).start();
        String out = new String(proc.getInputStream().readAllBytes()).trim();
        assertEquals(0, proc.waitFor());
        return Long.parseLong(out);
    }

    @Test
    public void createdSparseAndReopenedWithTheSameBytes() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("vol.img");
        try (FileVolume v = FileVolume.open(p, SIZE, 4096)) {
            assertEquals(SIZE / 4096, v.blockCount());
            assertTrue(allocatedBlocks(p) < 64);
            v.write(7, Unpooled.wrappedBuffer(filled(8192, 0x33)), true);
            v.flush();
        }
        assertEquals(SIZE, Files.size(p));
        try (FileVolume v = FileVolume.open(p, SIZE, 4096)) {
            assertArrayEquals(filled(8192, 0x33), read(v, 7, 2));
            assertArrayEquals(new byte[4096], read(v, 9, 1));
        }
    }

    @Test
    public void refusesSizeMismatch() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("vol.img");
        FileVolume.open(p, SIZE, 512).close();
        try {
            FileVolume.open(p, SIZE * 2, 512);
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("refusing"));
        }
        try {
            FileVolume.open(p, SIZE + 100, 512);
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("multiple"));
        }
    }

    @Test
    public void punchHoleMakesTheFileSparse() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("thin.img");
        try (FileVolume v = FileVolume.open(p, SIZE, 512)) {
            assertTrue("the test directory's file system must punch holes (ext4, xfs, tmpfs)", v.supportsUnmap());
            byte[] data = filled(4 << 20, 0x7e);
            v.write(0, Unpooled.wrappedBuffer(data), false);
            v.flush();
            long before = allocatedBlocks(p);
            assertTrue(before >= 8192);
            BlockVolume.Extent e = v.extentAt(0);
            assertTrue(e.mapped());
            assertEquals(8192, e.blocks());
            v.unmap(2048, 4096);
            long after = allocatedBlocks(p);
            assertTrue("allocated " + before + " -> " + after, after <= before - 4096);
            assertArrayEquals(new byte[512], read(v, 2048, 1));
            assertArrayEquals(filled(512, 0x7e), read(v, 2047, 1));
            BlockVolume.Extent hole = v.extentAt(2048);
            assertFalse(hole.mapped());
            assertEquals(4096, hole.blocks());
            BlockVolume.Extent tail = v.extentAt(8192);
            assertFalse(tail.mapped());
            assertEquals(v.blockCount() - 8192, tail.blocks());
            assertEquals(v.blockCount() - 1, v.extentAt(v.blockCount() - 1).lba());
        }
    }

    @Test
    public void concurrentWritersOfDifferentRanges() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("conc.img");
        try (FileVolume v = FileVolume.open(p, SIZE, 512)) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < 50; i++) {
                            v.write(id * 1000L + i * 8, Unpooled.wrappedBuffer(filled(4096, id + 1)), false);
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
            for (int t = 0; t < 8; t++) {
                assertArrayEquals(filled(4096, t + 1), read(v, t * 1000L + 49 * 8, 8));
            }
        }
    }

    @Test
    public void cachedDataIsReadWithoutWaitingAndOfferedAsAFileRange() throws Exception {
        Path p = tmp.getRoot().toPath().resolve("cached.img");
        try (FileVolume v = FileVolume.open(p, SIZE, 512)) {
            byte[] data = new byte[256 * 1024];
            new java.util.Random(5).nextBytes(data);
            v.write(2048, Unpooled.wrappedBuffer(data), false); // just written: in the page cache

            ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(data.length);
            try {
                assertTrue("written data is cached", v.readIfCached(2048, data.length / 512, direct));
                byte[] got = new byte[data.length];
                direct.readBytes(got);
                assertArrayEquals(data, got);
            } finally {
                direct.release();
            }

            FileSpan span = v.cachedFileSpan(2048, data.length / 512);
            assertTrue("a cached range is offered as a file span", span != null);
            assertEquals(2048L * 512, span.position());
            assertEquals(data.length, span.length());
            java.nio.ByteBuffer fromFile = java.nio.ByteBuffer.allocate(data.length);
            span.channel().read(fromFile, span.position());
            assertArrayEquals(data, fromFile.array());
            assertTrue("the span's channel stays the volume's", span.channel().isOpen());
        }
    }
}
