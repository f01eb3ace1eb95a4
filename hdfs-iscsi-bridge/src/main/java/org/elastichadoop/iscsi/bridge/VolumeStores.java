package org.elastichadoop.iscsi.bridge;

import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.store.KvImmutableStore;
import org.elastichadoop.iscsi.store.hdfs.HdfsStore;
import org.elastichadoop.iscsi.store.hdfs.HdfsStoreOptions;
import org.elastichadoop.iscsi.volume.log.VolumeRecord;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stores the volumes of one process are kept in, opened once each: the zk-kv-store cluster registered in
 * ZooKeeper for volumes that name no store, and a Hadoop file system directory (HDFS) for those created with
 * {@code --store hdfs://...}, its client configured from {@code HADOOP_CONF_DIR} as Hadoop's own tools are.
 */
public final class VolumeStores implements AutoCloseable {
    private final String zk;
    private final String hadoopConfDir;
    private final Map<String, ImmutableStore> open = new LinkedHashMap<>();

    public VolumeStores(String zk) {
        this(zk, System.getenv("HADOOP_CONF_DIR"));
    }

    public VolumeStores(String zk, String hadoopConfDir) {
        this.zk = zk;
        this.hadoopConfDir = hadoopConfDir;
    }

    /** The store {@code record}'s entries are kept in. */
    public synchronized ImmutableStore forVolume(VolumeRecord record) throws IOException {
        return forUri(record.store());
    }

    /** The store a volume's {@code store} field names (null: the zk-kv-store cluster). */
    public synchronized ImmutableStore forUri(String store) throws IOException {
        String key = store == null ? "" : store;
        ImmutableStore s = open.get(key);
        if (s == null) {
            s = store == null ? kv() : HdfsStore.open(uri(store), HdfsStore.configuration(hadoopConfDir), HdfsStoreOptions.defaults());
            open.put(key, s);
        }
        return s;
    }

    private ImmutableStore kv() throws IOException {
        try {
            return KvImmutableStore.connect(zk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + zk);
        }
    }

    /** A store URI as {@code volume create --store} takes it: a Hadoop file system's URI with a path. */
    public static URI uri(String store) throws IOException {
        URI uri;
        try {
            uri = new URI(store);
        } catch (URISyntaxException e) {
            throw new IOException("store '" + store + "' is not a URI (" + e.getMessage() + "); write it as hdfs://NAMENODE:PORT/PATH");
        }
        if (uri.getScheme() == null || uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            throw new IOException("store '" + store + "' needs a scheme and a directory, e.g. hdfs://namenode:8020/volumes "
                    + "(or hdfs://NAMESERVICE/volumes under NameNode HA)");
        }
        return uri;
    }

    @Override
    public synchronized void close() {
        for (ImmutableStore s : open.values()) s.close();
        open.clear();
    }
}
