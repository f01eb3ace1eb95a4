package org.elastichadoop.kv.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * O_DIRECT writing of tail segments for one store: whether the file system accepts it, the block alignment, and
 * the staging buffers, which pass from one tail segment to the next.
 */
final class DirectIo {
    private static final Logger log = LogManager.getLogger(DirectIo.class);

    /**
     * Size of each of the two staging buffers: an append writes the staged bytes itself once this much has
     * gathered since the last commit. 1 MiB made every append of a 1 MiB value write under the appender lock;
     * 4 MiB lets the sync thread write several per commit (about 30% more puts/s of 1 MiB values at depth 16).
     */
    static final int STAGING_BYTES = 4 << 20;
    /** Recovery deletes {@code *.tmp} files, should a crash leave this one behind. */
    static final String PROBE_FILE = "direct-io-probe.tmp";
    private static final int MIN_ALIGNMENT = 4096;

    private final int alignment;
    private final int bufferBytes;
    private final SharedChannel.Opener opener;
    private final List<ByteBuffer> free = new ArrayList<>();

    private DirectIo(int alignment, int bufferBytes, SharedChannel.Opener opener) {
        this.alignment = alignment;
        this.bufferBytes = bufferBytes;
        this.opener = opener;
    }

    /**
     * O_DIRECT support for the store in {@code dir}, or null if its file system refuses O_DIRECT on open or on
     * write (tested with a scratch file), which is logged once at INFO.
     */
    static DirectIo probe(Path dir, long segmentBytes, SharedChannel.Opener opener) {
        Path probe = dir.resolve(PROBE_FILE);
        try {
            int alignment = (int) Math.max(MIN_ALIGNMENT, Files.getFileStore(dir).getBlockSize());
            if (alignment > STAGING_BYTES / 2) {
                throw new IOException("block size " + alignment + " is too large");
            }
            try (FileChannel channel = opener.open(probe, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
                ByteBuffer block = ByteBuffer.allocateDirect(2 * alignment).alignedSlice(alignment)
                        .limit(alignment);
                while (block.hasRemaining()) {
                    channel.write(block, block.position());
                }
            }
            // Small segments need no more staging than a segment holds (larger records are staged piecewise).
            long wanted = Math.min(STAGING_BYTES, segmentBytes);
            int bufferBytes = (int) Math.max(2L * alignment, (wanted + alignment - 1) / alignment * alignment);
            return new DirectIo(alignment, bufferBytes, opener);
        } catch (IOException | UnsupportedOperationException e) {
            log.info("{} refuses O_DIRECT writes ({}); the store writes its tail segment through the page cache",
                    dir, e.toString());
            return null;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                log.debug("could not delete {}", probe, e);
            }
        }
    }

    /**
     * Starts O_DIRECT writes at the end of {@code segment}, whose bytes are all in the file (its last partial
     * block is read back into the staging buffer, to be rewritten with the records that follow).
     */
    DirectTailWriter writerFor(Segment segment) throws IOException {
        long end = segment.size();
        ByteBuffer first = takeBuffer();
        ByteBuffer second = takeBuffer();
        try {
            int partial = (int) (end % alignment);
            segment.readFully(first.duplicate().position(0).limit(partial), end - partial);
            SharedChannel channel = SharedChannel.open(segment.path(), opener, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
            return new DirectTailWriter(segment.name(), channel, new StagingBuffer(first, second, alignment, end),
                    this);
        } catch (IOException | RuntimeException e) {
            recycle(List.of(first, second));
            throw e;
        }
    }

    synchronized void recycle(List<ByteBuffer> buffers) {
        free.addAll(buffers);
    }

    private synchronized ByteBuffer takeBuffer() {
        if (!free.isEmpty()) {
            return free.remove(free.size() - 1);
        }
        return ByteBuffer.allocateDirect(bufferBytes + alignment).alignedSlice(alignment).slice(0, bufferBytes);
    }
}
