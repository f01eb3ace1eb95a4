package org.elastichadoop.it;

import org.apache.curator.test.TestingServer;
import org.elastichadoop.kv.procs.RunningProgram;
import org.junit.After;
import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A log volume kept in HDFS, everything a process: a NameNode and three DataNodes from a Hadoop 3.5.0 release layout
 * (src-it/hadoop3-release, Maven Central artifacts), ZooKeeper, and bin/iscsi-bridge with HADOOP_CONF_DIR. Under a
 * 256 MiB {@code qemu-img convert} a DataNode is killed -9, under a second the NameNode is stopped and started again;
 * both transfers must end without error. Then, with more writes made after the last sync, the bridge is killed -9; a
 * new bridge recovers its open pack's lease, and every synced byte is read back through it.
 */
public class HdfsVolumeProcessesIT {
    private static final String IQN = "iqn.2026-12.org.elastichadoop:hdfs-volume";
    private final List<Process> hadoop = new ArrayList<>();
    private final List<RunningProgram> bridges = new ArrayList<>();
    private TestingServer zk;

    @Test
    public void aVolumeInHdfsSurvivesADataNodeKilledTheNameNodeRestartedAndItsBridgeKilled() throws Exception {
        Path work = Programs.WORK.resolve("hdfs-volume-" + System.nanoTime());
        Files.createDirectories(work);
        Hadoop3Install install = Hadoop3Install.create(work);
        int nnPort = Programs.freePort();
        Path conf = install.writeHdfsConf("nn", nnPort, Map.of("dfs.namenode.name.dir", work.resolve("name").toString()));
        Programs.awaitSuccess("hdfs-format", install.start("hdfs-format", conf, Hadoop3Install.NAME_NODE, "-format", "-force",
                "-nonInteractive"), 120);
        Process nameNode = install.start("namenode", conf, Hadoop3Install.NAME_NODE);
        hadoop.add(nameNode);
        List<Path> dataNodeConfs = new ArrayList<>();
        List<Process> dataNodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dataNodeConfs.add(install.writeHdfsConf("dn" + i, nnPort, Map.of("dfs.datanode.data.dir", work.resolve("data" + i).toString(),
                    "dfs.datanode.address", "127.0.0.1:0", "dfs.datanode.http.address", "127.0.0.1:0", "dfs.datanode.ipc.address", "127.0.0.1:0")));
            dataNodes.add(install.start("datanode" + i, dataNodeConfs.get(i), Hadoop3Install.DATA_NODE));
        }
        hadoop.addAll(dataNodes);
        awaitLiveDataNodes(install, conf, 3);

        zk = new TestingServer();
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", conf.toString());
        String store = "hdfs://127.0.0.1:" + nnPort + "/iscsi-volumes";
        Programs.Result created = Programs.run(env, null, "iscsi-bridge", "volume", "create", "hv", "--size", "640M", "--store", store,
                "--zk", zk.getConnectString());
        assertEquals(created.text() + created.err(), 0, created.exit());
        int port = Programs.freePort();
        startBridge(env, port, "hdfs-bridge-1");
        String url = "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";

        Path whole = work.resolve("whole.raw"); // 512 MiB of random bytes; the first transfer writes its first half
        Path first = work.resolve("first.raw");
        Random random = new Random(13);
        byte[] chunk = new byte[16 << 20];
        try (var all = Files.newOutputStream(whole); var half = Files.newOutputStream(first)) {
            for (int i = 0; i < 32; i++) {
                random.nextBytes(chunk);
                all.write(chunk);
                if (i < 16) half.write(chunk);
            }
        }
        Process convert = startConvert(first, url);
        Thread.sleep(1500);
        assertTrue("the first transfer is still running when the DataNode is killed", convert.isAlive());
        Signals.kill9(dataNodes.get(0));
        assertConverted(convert, "kill -9 of a DataNode");
        Process restartedDataNode = install.start("datanode0-again", dataNodeConfs.get(0), Hadoop3Install.DATA_NODE);
        hadoop.add(restartedDataNode);
        awaitLiveDataNodes(install, conf, 3);

        convert = startConvert(whole, url);
        Thread.sleep(1500);
        assertTrue("the second transfer is still running when the NameNode stops", convert.isAlive());
        nameNode.destroy(); // SIGTERM, as 'hdfs --daemon stop namenode'
        assertTrue(nameNode.waitFor(60, TimeUnit.SECONDS));
        Thread.sleep(2000);
        nameNode = install.start("namenode-again", conf, Hadoop3Install.NAME_NODE);
        hadoop.add(nameNode);
        assertConverted(convert, "a NameNode restart");

        // more writes after the last sync, past the data: whatever of them was stored, the synced bytes stay
        run("qemu-img", "bench", "-f", "raw", "-w", "-c", "200", "-s", "64K", "-o", String.valueOf(512 << 20), "--pattern=0x5a",
                "-d", "8", url);
        RunningProgram killed = bridges.get(0);
        Signals.kill9(killed.process());
        startBridge(env, port, "hdfs-bridge-2"); // recovers the killed bridge's lease on its open pack
        Path back = work.resolve("back.raw");
        run("qemu-img", "convert", "-f", "raw", "-O", "raw", url, back.toString());
        assertEquals("every synced byte, read back through a new bridge: the volume differs from them first at",
                Files.size(whole), Files.mismatch(whole, back));
    }

    private void startBridge(Map<String, String> env, int port, String log) throws Exception {
        RunningProgram b = Programs.program(log, env, "iscsi-bridge", "--zk", zk.getConnectString(), "--volume", "hv", "--iqn", IQN,
                "--port", Integer.toString(port), "--status", "off").start();
        bridges.add(b);
        b.awaitLine("iscsi-bridge ready", Duration.ofSeconds(120));
    }

    private static Process startConvert(Path source, String url) throws IOException {
        return new ProcessBuilder("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url)
                .redirectErrorStream(true).start();
    }

    private static void assertConverted(Process convert, String what) throws Exception {
        String out = new String(convert.getInputStream().readAllBytes());
        assertTrue("qemu-img convert hung across " + what, convert.waitFor(300, TimeUnit.SECONDS));
        assertEquals("qemu-img convert (it ends with SYNCHRONIZE CACHE) across " + what + ":\n" + out, 0, convert.exitValue());
    }

    private static void awaitLiveDataNodes(Hadoop3Install install, Path conf, int n) throws Exception {
        String report = "";
        for (int i = 0; i < 60; i++) {
            try {
                report = install.runClient("dfsadmin-" + System.nanoTime(), conf, 60, Hadoop3Install.DFS_ADMIN, "-report", "-live");
                if (report.contains("Live datanodes (" + n + ")")) return;
            } catch (AssertionError notYet) {
                report = notYet.getMessage();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(n + " live DataNodes expected; last report:\n" + report);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", command) + " hung");
        assertEquals(String.join(" ", command) + ":\n" + out, 0, p.exitValue());
    }

    @After
    public void stopEverything() throws Exception {
        for (RunningProgram b : bridges) b.kill();
        for (Process p : hadoop) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (zk != null) zk.close();
    }

    /** kill -9 of a process, waiting until it is gone. */
    private static final class Signals {
        static void kill9(Process p) throws Exception {
            new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
    }
}
