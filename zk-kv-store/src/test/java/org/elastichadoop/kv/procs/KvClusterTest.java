package org.elastichadoop.kv.procs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The cluster's wiring, with shell stand-ins for bin/zookeeper and bin/kvnode that print their arguments. */
public class KvClusterTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Launcher standIn(String ready) {
        return Launcher.prefix(List.of("sh", "-c", "echo \"args: $* env: $KV_JAVA_OPTS\"; echo '" + ready + "'; exec sleep 60", "stand-in"));
    }

    @Test
    public void startsZooKeeperThenTheNodesAndStopsThemAll() throws Exception {
        Path dir = tmp.getRoot().toPath();
        KvCluster c = KvCluster.builder(dir).zooKeeperCommand(standIn("ZooKeeper serving on 127.0.0.1"))
                .nodeCommand(i -> standIn("node n ready on 127.0.0.1")).nodes(2).zooKeeperPort(2191).nodePorts(i -> 7411 + i)
                .metricsPorts(i -> 9411 + i).nodeArgs("--io-threads", "1").nodeEnv(Map.of("KV_JAVA_OPTS", "-Xmx64m"))
                .logDir(dir.resolve("logs")).logPrefix("t-").stopGrace(Duration.ofSeconds(5)).build();
        try (c) {
            c.start();
            assertEquals("127.0.0.1:2191", c.zkConnect());
            assertEquals(3, c.running().size());
            assertEquals("args: --port 2191 --data " + dir.resolve("zookeeper") + " env: ",
                    Files.readAllLines(dir.resolve("logs/t-zookeeper.log")).get(0));
            assertEquals("args: --zk 127.0.0.1:2191 --id node2 --port 7412 --metrics-port 9412 --data " + dir.resolve("node2")
                    + " --io-threads 1 env: -Xmx64m", Files.readAllLines(dir.resolve("logs/t-node2.log")).get(0));

            c.node(1).kill();
            assertEquals(2, c.running().size());
            c.startNode(1);
            assertEquals("the restart appended to the node's log", 4, Files.readAllLines(dir.resolve("logs/t-node2.log")).size());
            c.startNode(2, "t-joined");
            assertEquals("node3", c.nodeId(2));
            assertTrue(c.nodePort(2) == 7413);
            assertEquals(4, c.running().size());
        }
        assertTrue(c.running().isEmpty());
        assertFalse(c.zooKeeper().isAlive());
    }

    @Test
    public void nodesOnAnExternalZooKeeperGetFreePorts() throws Exception {
        Path dir = tmp.getRoot().toPath();
        try (KvCluster c = KvCluster.builder(dir).externalZooKeeper("127.0.0.1:1").nodeCommand(i -> standIn("ready on"))
                .nodeIds(i -> "n" + i).nodes(3).stopGrace(Duration.ZERO).build()) {
            c.start();
            assertEquals(null, c.zooKeeper());
            assertEquals(3, c.running().size());
            assertTrue(c.nodePort(0) != c.nodePort(1) && c.nodePort(1) != c.nodePort(2) && c.nodePort(0) < 32_768);
            assertTrue(Files.readString(dir.resolve("n0.log")).startsWith("args: --zk 127.0.0.1:1 --id n0 --port " + c.nodePort(0) + " --data "));
        }
    }
}
