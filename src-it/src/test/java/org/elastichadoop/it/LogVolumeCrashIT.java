package org.elastichadoop.it;

import org.elastichadoop.kv.procs.RunningProgram;
import org.junit.After;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * kill -9 under a log volume, with bin/quickstart running ZooKeeper, three KV nodes and the bridge as
 * processes: of the bridge (qemu-img writes known data and syncs, then writes more without syncing; a
 * new bridge process serves the volume again and every synced byte is there), and of a KV node in the
 * middle of a transfer (the initiator sees no error; the data is read back from the two nodes left).
 */
public class LogVolumeCrashIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop:quickstart";
    private static final int ISCSI_PORT = 13460;
    private Path dir;
    private RunningProgram restarted;

    @Test
    public void everySyncedBlockSurvivesKillMinus9OfTheBridge() throws Exception {
        int zkPort = Programs.freePort();
        startQuickstart("crash-", zkPort, 18401, ISCSI_PORT);
        String url = "iscsi://127.0.0.1:" + ISCSI_PORT + "/" + IQN + "/0";

        byte[] synced = new byte[16 << 20];
        new Random(77).nextBytes(synced);
        Path source = dir.resolve("synced.raw");
        Files.write(source, synced);
        // qemu-img convert flushes (SYNCHRONIZE CACHE) before it exits successfully
        run("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url);
        // more writes, never synced: 200 x 64 KiB at 32 MiB, pattern 0x5a
        run("qemu-img", "bench", "-f", "raw", "-w", "-c", "200", "-s", "64K", "-o", String.valueOf(32 << 20),
                "--pattern=0x5a", "-d", "8", url);

        long pid = Long.parseLong(Files.readString(dir.resolve("iscsi-bridge.pid")).trim());
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        waitGone(pid);

        String zk = "127.0.0.1:" + zkPort;
        String log = "crash-restart-" + System.nanoTime();
        restarted = Programs.program(log, Map.of(), "iscsi-bridge", "--zk", zk, "--volume", "quickstart",
                "--iqn", IQN, "--port", Integer.toString(ISCSI_PORT), "--status", "off").start();
        restarted.awaitLine("iscsi-bridge ready", Duration.ofSeconds(60));

        Path back = dir.resolve("back.raw");
        run("qemu-img", "convert", "-f", "raw", "-O", "raw", url, back.toString());
        byte[] first;
        try (var in = Files.newInputStream(back)) {
            first = in.readNBytes(synced.length);
        }
        assertArrayEquals("every synced byte after kill -9 and restart", synced, first);
    }

    @Test
    public void aKvNodeKilledMinus9DuringAWriteCostsTheInitiatorNothing() throws Exception {
        int zkPort = Programs.freePort();
        int iscsiPort = ISCSI_PORT + 1;
        startQuickstart("kvkill-", zkPort, 18411, iscsiPort);
        String url = "iscsi://127.0.0.1:" + iscsiPort + "/" + IQN + "/0";

        byte[] data = new byte[256 << 20];
        new Random(78).nextBytes(data);
        Path source = dir.resolve("source.raw");
        Files.write(source, data);
        Process convert = new ProcessBuilder("qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", source.toString(), url)
                .redirectErrorStream(true).start();
        Thread.sleep(400);
        assertTrue("the transfer is still running when the node is killed", convert.isAlive());
        long node2 = Long.parseLong(Files.readString(dir.resolve("node2.pid")).trim());
        new ProcessBuilder("kill", "-9", Long.toString(node2)).inheritIO().start().waitFor();
        waitGone(node2);
        String out = new String(convert.getInputStream().readAllBytes());
        assertTrue("qemu-img convert hung", convert.waitFor(300, TimeUnit.SECONDS));
        assertEquals("qemu-img convert (which ends with SYNCHRONIZE CACHE) after kill -9 of node2:\n" + out, 0, convert.exitValue());

        // a new bridge, with nothing cached, reads the volume from the two nodes left
        long bridge = Long.parseLong(Files.readString(dir.resolve("iscsi-bridge.pid")).trim());
        new ProcessBuilder("kill", Long.toString(bridge)).inheritIO().start().waitFor();
        waitGone(bridge);
        String log = "kvkill-restart-" + System.nanoTime();
        restarted = Programs.program(log, Map.of(), "iscsi-bridge", "--zk", "127.0.0.1:" + zkPort, "--volume", "quickstart",
                "--iqn", IQN, "--port", Integer.toString(iscsiPort), "--status", "off").start();
        restarted.awaitLine("iscsi-bridge ready", Duration.ofSeconds(60));
        Path back = dir.resolve("back.raw");
        run("qemu-img", "convert", "-f", "raw", "-O", "raw", url, back.toString());
        byte[] first;
        try (var in = Files.newInputStream(back)) {
            first = in.readNBytes(data.length);
        }
        assertArrayEquals("every byte written while node2 died, read back through a new bridge", data, first);
    }

    /** bin/quickstart in a fresh directory (ZooKeeper, three KV nodes, the bridge), left running. */
    private void startQuickstart(String name, int zkPort, int kvPort, int iscsiPort) throws Exception {
        dir = Programs.WORK.resolve(name + System.nanoTime());
        Map<String, String> env = Map.of("QS_DIR", dir.toString(), "QS_ZK_PORT", Integer.toString(zkPort),
                "QS_KV_PORT", Integer.toString(kvPort), "QS_ISCSI_PORT", Integer.toString(iscsiPort), "QS_EXIT_WHEN_READY", "1");
        Programs.Result qs = Programs.run(env, null, "quickstart");
        assertEquals("quickstart: " + qs.text() + qs.err(), 0, qs.exit());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) throw new AssertionError(String.join(" ", command) + " hung");
        assertEquals(String.join(" ", command) + ":\n" + out, 0, p.exitValue());
    }

    private static void waitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 600 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(50);
    }

    @After
    public void stopEverything() throws Exception {
        if (restarted != null) {
            restarted.kill();
        }
        if (dir == null || !Files.isDirectory(dir)) return;
        try (var pids = Files.list(dir)) {
            for (Path p : pids.filter(f -> f.toString().endsWith(".pid")).toList()) {
                new ProcessBuilder("kill", "-9", Files.readString(p).trim()).inheritIO().start().waitFor();
            }
        }
    }
}
