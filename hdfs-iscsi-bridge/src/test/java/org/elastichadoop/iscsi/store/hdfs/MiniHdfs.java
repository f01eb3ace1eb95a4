package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.elastichadoop.iscsi.store.StoreException;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A NameNode and three DataNodes in this JVM (MiniDFSCluster, Hadoop 3.5.0), blocks of 8 MiB so that tests cross
 * block boundaries, and clients configured as the bridge configures its own.
 */
public final class MiniHdfs implements AutoCloseable {
    public final MiniDFSCluster cluster;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    public static MiniHdfs start() throws IOException {
        File base = Files.createTempDirectory("mini-hdfs").toFile();
        Configuration conf = HdfsStore.configuration(null);
        conf.setLong("dfs.blocksize", 8L << 20);
        conf.setInt("dfs.namenode.safemode.extension", 0);
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(3).build();
        cluster.waitActive();
        return new MiniHdfs(cluster);
    }

    /** A directory of the cluster as a store URI, e.g. {@code hdfs://localhost:PORT/volumes}. */
    public URI uri(String path) {
        return URI.create(cluster.getURI() + path);
    }

    /** A client configuration as the bridge builds it, that waits out a NameNode restart. */
    public Configuration clientConf() {
        Configuration conf = HdfsStore.configuration(null);
        conf.set("fs.defaultFS", cluster.getURI().toString());
        conf.setInt("ipc.client.connect.max.retries", 60);
        conf.setInt("ipc.client.connect.retry.interval", 500);
        return conf;
    }

    /** A store in {@code path} with a client (and so a lease) of its own, as a bridge process has. */
    public HdfsStore store(String path, HdfsStoreOptions options) throws IOException {
        return HdfsStore.open(uri(path), clientConf(), options);
    }

    /** Why {@code f} failed with a StoreException (found among its causes); an error if it succeeded. */
    public static StoreException.Reason reason(CompletableFuture<?> f) throws Exception {
        try {
            f.get(180, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded but should have failed");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (!(c instanceof StoreException) && c != null && c.getCause() != null) c = c.getCause();
            if (c instanceof StoreException s) return s.reason();
            throw e;
        }
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
