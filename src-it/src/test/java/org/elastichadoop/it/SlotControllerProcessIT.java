package org.elastichadoop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elastichadoop.kv.procs.KvPrograms;
import org.elastichadoop.kv.procs.RunningProgram;
import org.junit.After;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Two bin/slotctl controller processes against a bin/zookeeper: one publishes (slotctl status
 * shows it), kill -9 of the active one, and the standby publishes within one poll plus the
 * ZooKeeper session timeout; slotctl replay explains a recorded file.
 */
public class SlotControllerProcessIT {
    private static final int SESSION_SECONDS = 4;
    private static final int POLL_SECONDS = 1;
    private final List<Process> started = new ArrayList<>();

    private Process start(String log, String... args) throws Exception {
        Process p = Programs.start(log, Map.of(), args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        started.add(p);
        return p;
    }

    /** bin/zookeeper on {@code port} with its data under {@code dir}; returns its connect string. */
    private String startZooKeeper(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        RunningProgram zk = KvPrograms.zooKeeper(Programs.bin("zookeeper"), port, dir.resolve("zk"), Programs.log("slots-zk-" + port))
                .in(Programs.ROOT).start();
        started.add(zk.process());
        zk.awaitLine(KvPrograms.ZOOKEEPER_READY, Duration.ofSeconds(30));
        return "127.0.0.1:" + port;
    }

    private static JsonNode status(String zk) throws Exception {
        Programs.Result r = Programs.run(Map.of(), null, "slotctl", "status", "--zk", zk, "--json");
        assertEquals(r.err(), 0, r.exit());
        return new ObjectMapper().readTree(r.out());
    }

    private static JsonNode tracker(JsonNode status, String host) {
        for (JsonNode t : status.get("trackers")) if (t.get("tracker").asText().equals(host)) return t;
        return null;
    }

    @Test
    public void theStandbyControllerPublishesWhenTheActiveOneIsKilled() throws Exception {
        Path dir = Programs.WORK.resolve("slots-" + System.nanoTime());
        int zkPort = Programs.freePort();
        String zk = startZooKeeper(dir, zkPort);

        Files.write(dir.resolve("tt1.txt"), "1 tt1.example 4 0\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("slotctl.yaml"), ("pollSeconds: " + POLL_SECONDS + "\nsourceTimeoutSeconds: 1\nrefreshSeconds: 3\n"
                + "trackers:\n  - host: tt1.example\n    source: replay\n    file: tt1.txt\n").getBytes(StandardCharsets.UTF_8));
        String config = dir.resolve("slotctl.yaml").toString();
        String logA = "slots-a-" + zkPort;
        String logB = "slots-b-" + zkPort;
        Process a = start(logA, "slotctl", "controller", "--zk", zk, "--config", config, "--id", "a",
                "--session-timeout", Integer.toString(SESSION_SECONDS));
        Programs.awaitLog(logA, "is now the active controller", 30_000);
        Process b = start(logB, "slotctl", "controller", "--zk", zk, "--config", config, "--id", "b",
                "--session-timeout", Integer.toString(SESSION_SECONDS));
        Programs.awaitLog(logB, "stands by", 30_000);

        JsonNode t = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && (t = tracker(status(zk), "tt1.example")) == null) Thread.sleep(200);
        assertTrue("slotctl status shows tt1.example", t != null);
        assertEquals("0.8 x 4 cores: 2.4 map slots -> 2", 2, t.get("maps").asInt());
        assertEquals(0, t.get("reduces").asInt());

        Programs.signal(a, "KILL");
        assertTrue(a.waitFor(10, TimeUnit.SECONDS));
        long killed = System.currentTimeMillis();
        Programs.awaitLog(logB, "is now the active controller", (POLL_SECONDS + SESSION_SECONDS + 5) * 1000L);
        JsonNode after = null;
        while (System.currentTimeMillis() - killed < 30_000) {
            after = tracker(status(zk), "tt1.example");
            if (after.get("timestamp").asLong() > killed) break; // written after the kill: by the standby
            Thread.sleep(100);
        }
        assertTrue("the standby published after the kill: " + after, after.get("timestamp").asLong() > killed);
        // when the standby wrote it (its timestamp), not when slotctl status saw it; ZooKeeper checks
        // for expired sessions once a tick (2 s), so a session ends up to one tick after its timeout
        long took = after.get("timestamp").asLong() - killed;
        long bound = (POLL_SECONDS + SESSION_SECONDS) * 1000L + 2000;
        System.out.println("[slots-it] after kill -9 of the active controller, the standby published in " + took + " ms (bound " + bound + ")");
        assertTrue("published " + took + " ms after the kill, bound " + bound, took <= bound);
        assertEquals(2, after.get("maps").asInt());
        assertTrue(b.isAlive());
    }

    private static JsonNode awaitTracker(String zk, String host, java.util.function.Predicate<JsonNode> p) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode t = null;
        while (System.currentTimeMillis() < deadline) {
            t = tracker(status(zk), host);
            if (t != null && p.test(t)) return t;
            Thread.sleep(200);
        }
        throw new AssertionError("slotctl status never showed what was expected for " + host + "; last: " + t);
    }

    private static Programs.Result slotctl(String... args) throws Exception {
        return Programs.run(Map.of(), null, "slotctl", args);
    }

    @Test
    public void operatorsPinDrainReleaseAndSetThePolicyWithSlotctl() throws Exception {
        Path dir = Programs.WORK.resolve("slots-ops-" + System.nanoTime());
        int zkPort = Programs.freePort();
        String zk = startZooKeeper(dir, zkPort);
        Files.write(dir.resolve("tt1.txt"), "1 tt1.example 8 0\n".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("slotctl.yaml"), ("pollSeconds: 1\nsourceTimeoutSeconds: 1\n"
                + "trackers:\n  - host: tt1.example\n    source: replay\n    file: tt1.txt\n").getBytes(StandardCharsets.UTF_8));
        start("slots-ops-" + zkPort, "slotctl", "controller", "--zk", zk, "--config", dir.resolve("slotctl.yaml").toString());
        JsonNode quiet = awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 4 && t.get("reduces").asInt() == 1); // 6.4 cores
        assertEquals("status shows the host's figures", 8.0, quiet.get("capacityCores").asDouble(), 0);
        assertEquals(0.0, quiet.get("othersCores").asDouble(), 0);

        assertEquals(0, slotctl("pin", "tt1.example", "--maps", "2", "--reduces", "0", "--zk", zk).exit());
        JsonNode pinned = awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 2 && t.get("reduces").asInt() == 0);
        assertTrue(pinned.toString(), pinned.get("override").asText().contains("pinned by slotctl"));
        assertTrue("a pin is not decided on figures", !pinned.has("othersCores"));
        assertEquals(0, slotctl("drain", "tt1.example", "--zk", zk).exit());
        awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 0 && t.get("reduces").asInt() == 0);
        assertEquals(0, slotctl("release", "tt1.example", "--zk", zk).exit());
        awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 4 && !t.has("override"));

        Programs.Result set = slotctl("policy", "set", "targetUtilisation=0.5", "maxMaps=2", "--zk", zk);
        assertEquals(set.err(), 0, set.exit());
        awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 2); // 4 cores: 3 maps, held at maxMaps 2
        assertTrue(slotctl("policy", "show", "--zk", zk).text().contains("\"targetUtilisation\" : 0.5"));
        Programs.Result bad = slotctl("policy", "set", "targetUtilization=0.5", "--zk", zk);
        assertEquals(1, bad.exit());
        assertTrue(bad.err(), bad.err().contains("unknown policy key 'targetUtilization'"));
        Programs.Result range = slotctl("policy", "set", "targetUtilisation=3", "--zk", zk);
        assertEquals(1, range.exit());
        assertTrue(range.err(), range.err().contains("'targetUtilisation' is 3.0"));
        assertEquals(0, slotctl("policy", "clear", "--zk", zk).exit());
        awaitTracker(zk, "tt1.example", t -> t.get("maps").asInt() == 4);
    }

    @Test
    public void replayExplainsEachStep() throws Exception {
        Path f = Programs.WORK.resolve("replay-" + System.nanoTime() + ".txt");
        Files.createDirectories(f.getParent());
        Files.write(f, "1000 tt1 4 0\n2000 tt1 4 3.5\n".getBytes(StandardCharsets.UTF_8));
        Programs.Result r = Programs.run(Map.of(), null, "slotctl", "replay", f.toString(), "--json");
        assertEquals(r.err(), 0, r.exit());
        JsonNode steps = new ObjectMapper().readTree(r.out()).get("steps");
        assertEquals(2, steps.size());
        assertEquals(2, steps.get(0).get("maps").asInt());
        assertEquals("averaged 1.60 cores: 1.2 map slots", 1, steps.get(1).get("maps").asInt());
        Programs.Result bad = Programs.run(Map.of(), null, "slotctl", "replay", f + ".missing");
        assertEquals(1, bad.exit());
        assertTrue(bad.err(), bad.err().startsWith("error: ") && bad.err().contains(".missing"));
    }

    @Test
    public void slotctlYarnNamesTheKeyItIsMissing() throws Exception {
        Path config = Programs.WORK.resolve("yarn-" + System.nanoTime() + ".yaml");
        Files.createDirectories(config.getParent());
        Files.write(config, "trackers:\n  - host: nm1\n".getBytes(StandardCharsets.UTF_8));
        Programs.Result r = Programs.run(Map.of("HADOOP_CONF_DIR", ""), null, "slotctl", "yarn", "--zk", "127.0.0.1:1", "--config", config.toString());
        assertEquals(r.err(), 1, r.exit());
        assertEquals("error: " + config + ": 'yarn.hadoopConf' is not set and neither is HADOOP_CONF_DIR; "
                + "give the directory with the cluster's yarn-site.xml", r.err().trim());
        Files.write(config, "yarn:\n  hadoopConf: no-such-dir\ntrackers:\n  - host: nm1\n".getBytes(StandardCharsets.UTF_8));
        r = Programs.run(Map.of(), null, "slotctl", "yarn", "--zk", "127.0.0.1:1", "--config", config.toString());
        assertEquals(r.err(), 1, r.exit());
        assertTrue(r.err(), r.err().startsWith("error: " + config + ": 'yarn.hadoopConf' (") && r.err().contains("no-such-dir) has no yarn-site.xml"));
    }

    @After
    public void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
