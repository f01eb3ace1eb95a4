package org.elastichadoop.kv.storage;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A file channel used by many threads, any of which may be interrupted. A FileChannel closes itself, for every
 * user, when a thread blocked in it is interrupted; so I/O runs with the caller's interrupt flag cleared (it is
 * restored afterwards) and a channel closed by someone else's interrupt is reopened. Operations must be
 * positional, so that running one again after a reopen is harmless.
 */
final class SharedChannel {
    private static final Logger log = LogManager.getLogger(SharedChannel.class);
    /**
     * Reopens allowed per operation. Generous: a thread interrupted again and again (every 200 us in
     * InterruptTest) can need many tries for one large read on a busy machine; 8 was seen to run out.
     */
    private static final int MAX_REOPENS = 1000;

    /** Opens file channels; tests substitute one that refuses some options. */
    interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    interface Operation<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private final Path path;
    private final Opener opener;
    private final OpenOption[] reopenOptions;
    private volatile FileChannel channel;
    private volatile boolean closed;

    /** Wraps an open channel; {@code reopenOptions} must open the same file again, without creating it. */
    SharedChannel(Path path, FileChannel channel, Opener opener, OpenOption... reopenOptions) {
        this.path = path;
        this.channel = channel;
        this.opener = opener;
        this.reopenOptions = reopenOptions.clone();
    }

    static SharedChannel open(Path path, Opener opener, OpenOption... options) throws IOException {
        return new SharedChannel(path, opener.open(path, options), opener, options);
    }

    /**
     * Runs the operation, reopening the channel if another thread's interrupt closed it.
     *
     * @throws ClosedChannelException if {@link #close} was called
     */
    <T> T run(Operation<T> operation) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; ; attempt++) {
                FileChannel current = channel;
                try {
                    return operation.apply(current);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    if (closed || attempt == MAX_REOPENS) {
                        throw e;
                    }
                    reopen(current);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    synchronized void close() throws IOException {
        closed = true;
        channel.close();
    }

    private synchronized void reopen(FileChannel broken) throws IOException {
        if (closed || channel != broken) {
            return;
        }
        channel = opener.open(path, reopenOptions);
        log.warn("{}: its channel was closed by an interrupted thread; reopened it", path.getFileName());
    }
}
