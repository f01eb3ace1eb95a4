package org.elastichadoop.it;

import org.apache.curator.test.TestingServer;
import org.elastichadoop.iscsi.bench.HdfsDaemons;
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
 * (src-it/hadoop3-release, Maven Central artifacts; {@link HdfsDaemons}), ZooKeeper, and bin/iscsi-bridge with
 * HADOOP_CONF_DIR. Under a 256 MiB {@code qemu-img convert} a DataNode is killed -9, under a second the NameNode is
 * stopped and started again; both transfers must end without error. Then, with more writes made after the last sync,
 * the bridge is killed -9; a new bridge recovers its open pack's lease, and every synced byte is read back through it.
 */
public class HdfsVolumeProcessesIT {
    private static final String IQN = "iqn.2026-12.org.elastichadoop:hdfs-volume";
    private final List<RunningProgram> bridges = new ArrayList<>();
    private HdfsDaemons hdfs;
    private TestingServer zk;

    @Test
    public void aVolumeInHdfsSurvivesADataNodeKilledTheNameNodeRestartedAndItsBridgeKilled() throws Exception {
        Path work = Programs.WORK.resolve("hdfs-volume-" + System.nanoTime());
        hdfs = HdfsDaemons.in(Hadoop3Install.RELEASE, work.resolve("hdfs"), Programs.WORK.resolve("logs"), "hdfs-volume-", 3, "-Xmx384m",
                Duration.ofSeconds(120)).start();

        zk = new TestingServer();
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", hdfs.confDir().toString());
        Programs.Result created = Programs.run(env, null, "iscsi-bridge", "volume", "create", "hv", "--size", "640M", "--store",
                hdfs.uri() + "/iscsi-volumes", "--zk", zk.getConnectString());
        assertEquals(created.text() + created.err(), 0, created.exit());
        Programs.Result listed = Programs.run(env, null, "iscsi-bridge", "volume", "list", "--zk", zk.getConnectString());
        assertTrue("volume list names the store:\n" + listed.text(),
                listed.text().lines().anyMatch(l -> l.startsWith("hv ") && l.endsWith(hdfs.uri() + "/iscsi-volumes")));
        int port = Programs.freePort();
        startBridge(env, port, "hdfs-bridge-1", "off");
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
        hdfs.killDataNode(0);
        assertConverted(convert, "kill -9 of a DataNode");
        hdfs.restartDataNode(0);

        convert = startConvert(whole, url);
        Thread.sleep(1500);
        assertTrue("the second transfer is still running when the NameNode stops", convert.isAlive());
        hdfs.restartNameNode(Duration.ofSeconds(2));
        assertConverted(convert, "a NameNode restart");

        // more writes after the last sync, past the data: whatever of them was stored, the synced bytes stay
        run("qemu-img", "bench", "-f", "raw", "-w", "-c", "200", "-s", "64K", "-o", String.valueOf(512 << 20), "--pattern=0x5a",
                "-d", "8", url);
        bridges.get(0).kill(); // kill -9
        String status = "127.0.0.1:" + Programs.freePort();
        startBridge(env, port, "hdfs-bridge-2", status); // recovers the killed bridge's lease on its open pack
        Programs.Result shown = Programs.run(env, null, "iscsi-bridge", "status", "--status", status);
        assertTrue("status names the store:\n" + shown.text(), shown.text().contains("log volume 'hv' on HDFS at " + hdfs.uri() + "/iscsi-volumes"));
        Path back = work.resolve("back.raw");
        run("qemu-img", "convert", "-f", "raw", "-O", "raw", url, back.toString());
        assertEquals("every synced byte, read back through a new bridge: the volume differs from them first at",
                Files.size(whole), Files.mismatch(whole, back));
    }

    private void startBridge(Map<String, String> env, int port, String log, String status) throws Exception {
        RunningProgram b = Programs.program(log, env, "iscsi-bridge", "--zk", zk.getConnectString(), "--volume", "hv", "--iqn", IQN,
                "--port", Integer.toString(port), "--status", status).start();
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

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", command) + " hung");
        assertEquals(String.join(" ", command) + ":\n" + out, 0, p.exitValue());
    }

    @After
    public void stopEverything() throws Exception {
        for (RunningProgram b : bridges) b.kill();
        if (hdfs != null) hdfs.close();
        if (zk != null) zk.close();
    }
}
