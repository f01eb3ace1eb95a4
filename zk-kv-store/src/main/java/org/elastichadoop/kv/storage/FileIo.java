package org.elastichadoop.kv.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional whole-buffer I/O and directory fsync. */
final class FileIo {
    /**
     * The JDK copies heap buffers through a per-thread cached direct buffer as large as the request;
     * chunking keeps that cache small even for 32 MiB values.
     */
    private static final int MAX_IO_CHUNK = 256 * 1024;

    private FileIo() {
    }

    static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        int limit = dst.limit();
        try {
            while (dst.position() < limit) {
                dst.limit(Math.min(limit, dst.position() + MAX_IO_CHUNK));
                int read = channel.read(dst, position);
                if (read < 0) {
                    throw new EOFException("end of file at offset " + position);
                }
                position += read;
                dst.limit(limit);
            }
        } finally {
            dst.limit(limit);
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer src, long position) throws IOException {
        int limit = src.limit();
        try {
            while (src.position() < limit) {
                src.limit(Math.min(limit, src.position() + MAX_IO_CHUNK));
                position += channel.write(src, position);
                src.limit(limit);
            }
        } finally {
            src.limit(limit);
        }
    }

    /** Makes file creations, renames and deletions in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
