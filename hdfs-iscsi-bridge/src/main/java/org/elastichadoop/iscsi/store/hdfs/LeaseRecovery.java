package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LeaseRecoverable;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes the packs earlier writers left open, revoking their leases (so that such a writer's next sync fails), all at
 * once. The NameNode hands each block recovery to a DataNode with its next heartbeat (3 s by default): look often,
 * ask again rarely.
 */
final class LeaseRecovery {
    private static final Logger LOG = LogManager.getLogger(LeaseRecovery.class);
    private static final long LOOK_EVERY_MILLIS = 200;
    private static final long ASK_AGAIN_AFTER_MILLIS = 4000;

    private LeaseRecovery() {
    }

    /** The final lengths of the files among {@code files} that were open; fails if HDFS has not closed them by {@code deadline}. */
    static Map<Path, Long> closeLeftOpen(FileSystem fs, Path dir, List<Path> files, long deadline) throws IOException {
        Map<Path, Long> lengths = new HashMap<>();
        if (!(fs instanceof LeaseRecoverable leases)) return lengths;
        List<Path> open = new ArrayList<>();
        for (Path f : files) {
            try {
                if (leases.isFileClosed(f)) continue;
                LOG.info("{}: {} was left open by a writer that stopped, failed or was replaced; recovering its lease", dir, f.getName());
                if (leases.recoverLease(f)) lengths.put(f, fs.getFileStatus(f).getLen());
                else open.add(f);
            } catch (FileNotFoundException e) {
                LOG.debug("{}: {} is gone (compacted by the writer being replaced)", dir, f.getName());
            }
        }
        long askedAt = System.currentTimeMillis();
        while (!open.isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(open + ": HDFS has not closed them after lease recovery; is a DataNode of their last block down?");
            }
            sleep();
            boolean askAgain = System.currentTimeMillis() - askedAt > ASK_AGAIN_AFTER_MILLIS;
            if (askAgain) askedAt = System.currentTimeMillis();
            for (var it = open.iterator(); it.hasNext(); ) {
                Path p = it.next();
                try {
                    if (leases.isFileClosed(p) || (askAgain && leases.recoverLease(p))) {
                        lengths.put(p, fs.getFileStatus(p).getLen());
                        it.remove();
                    }
                } catch (FileNotFoundException e) {
                    it.remove();
                }
            }
        }
        return lengths;
    }

    /**
     * Asks HDFS to close {@code file}, a pack this writer gave up after a failed write, without waiting: until it is
     * closed at its last synced byte its last block's length may be unknown to readers (this client holds the lease,
     * so nobody else would close it). Best effort: a read that finds it still open closes it then.
     */
    static void begin(FileSystem fs, Path file) {
        if (!(fs instanceof LeaseRecoverable leases)) return;
        try {
            leases.recoverLease(file);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: lease recovery not started yet ({})", file, e.toString());
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(LOOK_EVERY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for lease recovery");
        }
    }
}
