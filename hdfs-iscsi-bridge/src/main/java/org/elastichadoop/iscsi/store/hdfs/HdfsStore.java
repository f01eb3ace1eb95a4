package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ImmutableStore} in a Hadoop file system: HDFS, or a local directory ({@code file:///PATH}) for trials
 * and tests (no lease to recover there: a second writer is refused only when it needs a new pack).
 *
 * <p>HDFS keeps every file and block in its NameNode's memory, so entries are not files: the entries of one group (keys
 * sharing their first path element; a volume's keys start with its id) are packed into large files in the directory
 * {@code ROOT/GROUP} (see {@link PackSet}), one writer per group at a time. A put completes once synced to every
 * DataNode of its block's pipeline. Reads are positional reads of the pack that holds the value, checked against the
 * value's CRC32C (ranges are not: see {@link ImmutableStore#getRange}).
 *
 * <p>A deleted key stays refused ({@link StoreException.Reason#DELETED}) while any pack still holds a copy of its
 * value; once compaction has dropped the last copy the deletion is forgotten too.
 */
public final class HdfsStore implements ImmutableStore {
    private static final Logger LOG = LogManager.getLogger(HdfsStore.class);
    private static final String BEST_EFFORT = "dfs.client.block.write.replace-datanode-on-failure.best-effort";
    private static final String PACKET_SIZE = "dfs.client-write-packet-size";
    /** 1 MiB write packets instead of Hadoop's 64 KiB: entries are 4 MiB, and syncs per batch write twice as fast. */
    static final int PACKET_BYTES = 1 << 20;
    private static final String FAILOVER_SLEEP_MAX = "dfs.client.failover.sleep.max.millis";
    /** Between tries of the NameNodes of an HA nameservice: at most 2 s instead of 15, so writes resume soon after a failover. */
    static final int FAILOVER_SLEEP_MAX_MILLIS = 2000;

    private final FileSystem fs;
    private final Path root;
    private final HdfsStoreOptions options;
    private final Map<String, CompletableFuture<PackSet>> groups = new ConcurrentHashMap<>();
    private final ExecutorService io;

    private HdfsStore(FileSystem fs, Path root, HdfsStoreOptions options) {
        this.fs = fs;
        this.root = root;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "hdfs-store-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A store in directory {@code uri} (e.g. {@code hdfs://namenode:8020/volumes}, or a nameservice's URI under HA). */
    public static HdfsStore open(URI uri, Configuration conf, HdfsStoreOptions options) throws IOException {
        if (uri.getScheme() == null) throw new IOException("'" + uri + "' names no file system; write it as hdfs://NAMENODE:PORT/PATH");
        if ("file".equals(uri.getScheme())) { // a local directory, for trials: no .crc side files, readable while written
            conf = new Configuration(conf);
            conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        }
        FileSystem fs = FileSystem.newInstance(uri, conf);
        Path root = new Path(uri);
        try {
            fs.mkdirs(root);
        } catch (IOException e) {
            fs.close();
            throw new IOException("cannot create or reach " + uri + ": " + e.getMessage(), e);
        }
        return new HdfsStore(fs, root, options);
    }

    /**
     * Hadoop's client configuration as Hadoop's own tools build it: the defaults, then {@code core-site.xml} and
     * {@code hdfs-site.xml} from {@code hadoopConfDir} (HADOOP_CONF_DIR) when given. Unless the site says otherwise, a
     * write pipeline that loses a DataNode carries on with the others (Hadoop's advice for clusters of three or fewer),
     * writes go in packets of {@value #PACKET_BYTES} bytes (docs/benchmarks.md measures both sizes), and the client
     * tries the NameNodes of an HA nameservice again at least every {@value #FAILOVER_SLEEP_MAX_MILLIS} ms.
     */
    public static Configuration configuration(String hadoopConfDir) {
        Configuration conf = new Configuration();
        if (hadoopConfDir != null && !hadoopConfDir.isBlank()) {
            for (String name : new String[]{"core-site.xml", "hdfs-site.xml"}) {
                File f = new File(hadoopConfDir, name);
                if (f.isFile()) conf.addResource(new Path(f.getAbsolutePath()));
            }
        }
        if (!setBySite(conf, BEST_EFFORT)) conf.setBoolean(BEST_EFFORT, true);
        if (!setBySite(conf, PACKET_SIZE)) conf.setInt(PACKET_SIZE, PACKET_BYTES);
        if (!setBySite(conf, FAILOVER_SLEEP_MAX)) conf.setInt(FAILOVER_SLEEP_MAX, FAILOVER_SLEEP_MAX_MILLIS);
        return conf;
    }

    /** Whether {@code key} has a value other than Hadoop's own default (from a site file or set in code). */
    private static boolean setBySite(Configuration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        if (sources == null) return false;
        for (String s : sources) if (!s.endsWith("-default.xml")) return true;
        return false;
    }

    static String groupOf(String key) {
        int slash = key.indexOf('/');
        return slash > 0 ? key.substring(0, slash) : "_";
    }

    private CompletableFuture<PackSet> group(String key) {
        String name = groupOf(key);
        CompletableFuture<PackSet> set = groups.computeIfAbsent(name, g -> CompletableFuture.supplyAsync(() -> {
            try {
                return PackSet.claim(fs, new Path(root, g), options);
            } catch (IOException e) {
                throw new CompletionException(new StoreException(StoreException.Reason.UNAVAILABLE,
                        "cannot open " + new Path(root, g) + ": " + e.getMessage(), e));
            }
        }, io));
        set.whenComplete((s, e) -> {
            if (e != null) groups.remove(name, set); // the next call tries again
        });
        return set;
    }

    private static StoreException refused(String why) {
        return new StoreException(StoreException.Reason.REFUSED, why);
    }

    @Override
    public CompletableFuture<Void> putIfAbsent(String key, byte[] value) {
        return putIfAbsent(key, value, value.length);
    }

    /** The caller leaves {@code value} unchanged until the future completes (it is written from there, not copied). */
    @Override
    public CompletableFuture<Void> putIfAbsent(String key, byte[] value, int length) {
        if (key.isEmpty()) return CompletableFuture.failedFuture(refused("empty key"));
        if (PackFormat.utf8(key).length > PackFormat.MAX_KEY_BYTES) return CompletableFuture.failedFuture(refused("key over 65535 bytes"));
        return group(key).thenCompose(set -> set.put(key, value, length));
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
        return group(key).thenApplyAsync(set -> read(() -> set.get(key), key), io);
    }

    @Override
    public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
        if (length < 0) return CompletableFuture.failedFuture(new IllegalArgumentException("negative length " + length));
        return group(key).thenApplyAsync(set -> read(() -> set.getRange(key, offset, length), key), io);
    }

    private interface Read {
        byte[] run() throws IOException;
    }

    private static byte[] read(Read read, String key) {
        try {
            return read.run();
        } catch (IOException e) {
            throw new CompletionException(new StoreException(StoreException.Reason.UNAVAILABLE, "reading " + key + ": " + e, e));
        }
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return group(key).thenCompose(set -> set.delete(key));
    }

    /** Re-reads the group and fences its earlier writers: what a new writer of a volume calls before anything else. */
    @Override
    public void claim(String prefix) {
        CompletableFuture<PackSet> old = groups.remove(prefix);
        if (old != null) old.thenAccept(PackSet::close).exceptionally(e -> null).join();
        group(prefix + "/").join();
    }

    /** Removes the group's directory once every entry in it was deleted (a volume deleted). */
    @Override
    public void retire(String prefix) {
        CompletableFuture<PackSet> old = groups.remove(prefix);
        if (old != null) old.thenAccept(PackSet::close).exceptionally(e -> null).join();
        try {
            fs.delete(new Path(root, prefix), true);
        } catch (IOException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "deleting " + new Path(root, prefix) + ": " + e.getMessage(), e);
        }
    }

    /** For status and tests: a group's packs, live keys, live bytes and recorded bytes; null if it is not open here. */
    public long[] figures(String prefix) {
        CompletableFuture<PackSet> set = groups.get(prefix);
        return set == null || !set.isDone() || set.isCompletedExceptionally() ? null : set.join().figures();
    }

    @Override
    public String describe() {
        return "HDFS at " + root.toUri();
    }

    @Override
    public void close() {
        for (CompletableFuture<PackSet> set : groups.values()) {
            try {
                set.join().close();
            } catch (RuntimeException e) {
                // never opened: nothing to close
            }
        }
        groups.clear();
        io.shutdownNow();
        try {
            fs.close();
        } catch (IOException e) {
            LOG.warn("closing the HDFS client of {}: {}", root, e.toString());
        }
    }
}
