package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSNNTopology;
import org.elastichadoop.iscsi.store.StoreException;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A store named by a NameNode HA nameservice ({@code hdfs://NAMESERVICE/PATH}), its client configured only by the
 * {@code hdfs-site.xml} in a HADOOP_CONF_DIR as an operator writes it: writes wait while the active NameNode is gone
 * and the other is still standby, and go on once it takes over; a writer that starts after the failover recovers the first writer's
 * lease through the new active NameNode and fences it.
 */
public class HdfsHaStoreIT {
    private static final String NAMESERVICE = "volumes-ns";
    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();
    private final Random random = new Random(13);
    private final List<HdfsStore> stores = new ArrayList<>();
    private MiniDFSCluster cluster;
    private File confDir;

    @Before
    public void start() throws Exception {
        Configuration conf = HdfsStore.configuration(null);
        conf.setLong("dfs.blocksize", 8L << 20);
        conf.setInt("dfs.namenode.safemode.extension", 0);
        conf.setInt("ipc.client.connect.max.retries", 2); // the DataNodes' calls to a NameNode that is gone fail fast
        conf.setInt("ipc.client.connect.retry.interval", 200);
        cluster = new MiniDFSCluster.Builder(conf, dir.newFolder("hdfs"))
                .nnTopology(MiniDFSNNTopology.simpleHATopology().setFederation(false))
                .numDataNodes(3).build();
        cluster.waitActive();
        cluster.transitionToActive(0);
        confDir = dir.newFolder("hadoop-conf");
        writeClientSite(new File(confDir, "hdfs-site.xml"));
    }

    /** The client side of an HA nameservice, as in a cluster's hdfs-site.xml. */
    private void writeClientSite(File file) throws Exception {
        Configuration site = new Configuration(false);
        site.set("dfs.nameservices", NAMESERVICE);
        site.set("dfs.ha.namenodes." + NAMESERVICE, "nn1,nn2");
        for (int i = 0; i < 2; i++) {
            InetSocketAddress a = cluster.getNameNode(i).getNameNodeAddress();
            site.set("dfs.namenode.rpc-address." + NAMESERVICE + ".nn" + (i + 1), "127.0.0.1:" + a.getPort());
        }
        site.set("dfs.client.failover.proxy.provider." + NAMESERVICE,
                "org.apache.hadoop.hdfs.server.namenode.ha.ConfiguredFailoverProxyProvider");
        try (OutputStream out = new FileOutputStream(file)) {
            site.writeXml(out);
        }
    }

    @After
    public void stop() throws Exception {
        stores.forEach(HdfsStore::close);
        if (cluster == null) return;
        // the killed NameNode comes back (as standby): a DataNode whose heartbeat thread is retrying a NameNode that is
        // gone can hang in its shutdown
        if (!cluster.isNameNodeUp(0)) cluster.restartNameNode(0, false);
        cluster.shutdown(true);
    }

    private HdfsStore open() throws Exception {
        HdfsStore s = HdfsStore.open(URI.create("hdfs://" + NAMESERVICE + "/volumes"),
                HdfsStore.configuration(confDir.getPath()), HdfsStoreOptions.defaults().withPackBytes(16 << 20));
        stores.add(s);
        return s;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    public void writesGoOnAcrossAFailoverAndTheNextWriterFencesTheFirstThroughTheNewActiveNameNode() throws Exception {
        HdfsStore first = open();
        List<byte[]> values = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            values.add(bytes(1 << 20));
            puts.add(first.putIfAbsent("ha/" + i, values.get(i)));
        }
        for (CompletableFuture<Void> p : puts) p.get(120, TimeUnit.SECONDS);

        cluster.shutdownNameNode(0); // the active one, gone without a word; the other is still standby
        long start = System.nanoTime();
        Thread failover = new Thread(() -> {
            try {
                Thread.sleep(3000);
                cluster.transitionToActive(1);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        failover.start();
        for (int i = 12; i < 44; i++) { // 32 MiB more: new packs and blocks need a NameNode, and for 3 s none is active
            values.add(bytes(1 << 20));
            puts.add(first.putIfAbsent("ha/" + i, values.get(i)));
        }
        for (CompletableFuture<Void> p : puts) p.get(180, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        failover.join(120_000);
        System.out.printf("[hdfs-ha] 32 puts while no NameNode was active for 3 s, then the standby took over: done in %.1f s%n", seconds);
        assertTrue("the puts waited for the failover: " + seconds + " s", seconds >= 3);
        assertTrue("the standby NameNode took over", cluster.getNameNode(1).isActiveState());
        for (int i = 0; i < values.size(); i++) assertArrayEquals("ha/" + i, values.get(i), first.get("ha/" + i).get(60, TimeUnit.SECONDS));

        HdfsStore next = open();
        start = System.nanoTime();
        next.claim("ha"); // the first writer still holds its open pack's lease: recovered through the new active NameNode
        System.out.printf("[hdfs-ha] the next writer claimed the group in %.2f s%n", (System.nanoTime() - start) / 1e9);
        for (int i = 0; i < values.size(); i++) assertArrayEquals("next: ha/" + i, values.get(i), next.get("ha/" + i).get(60, TimeUnit.SECONDS));
        assertEquals("the first writer can no longer store anything", StoreException.Reason.REFUSED,
                MiniHdfs.reason(first.putIfAbsent("ha/late", bytes(1000))));
    }
}
