package org.elastichadoop.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Elastic slots as an operator installs them: Hadoop 1.2.1 laid out as its tarball, the shipped jar
 * alone added to its lib/, mapred-site.xml written from conf/mapred-site.xml.example; bin/zookeeper,
 * bin/slotctl controller (pressure files the test changes as the neighbours' CPU), a JobTracker and two
 * TaskTrackers (127.0.0.2 and 127.0.0.3) as separate JVMs. Everything is observed through Hadoop's own
 * interfaces: JobClient -list-active-trackers, the JobTracker's /jmx, 'hadoop jar' and the job's output.
 * The story: tt1's neighbours get busy and it shrinks, the CPU-burn job never runs more maps there than
 * its allocation, quiet neighbours grow it back; ZooKeeper and the controller are killed mid-job, the job
 * completes and tt1 returns to its configured slots after the TTL; a job submitted with ZooKeeper gone
 * completes; ZooKeeper comes back, the JobTracker is restarted, and the slots are right with one hook and
 * one ZooKeeper session per TaskTracker.
 */
public class HadoopDaemonsIT {
    private static final String TT1 = "127.0.0.2";
    private static final String TT2 = "127.0.0.3";
    private static final int CONFIGURED_MAPS = 3;
    private static final int TTL_SECONDS = 8;
    private static final int REFRESH_SECONDS = 2;
    private static final int PERIOD_MS = 500;
    /** Hadoop 1's TaskTrackers heartbeat every 3 s at the most (on a small cluster). */
    private static final int HEARTBEAT_MS = 3000;
    private static final String MAIN_JT = "org.apache.hadoop.mapred.JobTracker";
    private static final String MAIN_TT = "org.apache.hadoop.mapred.TaskTracker";

    private NodeSamples samples;
    private SlotsRun run;
    private Path dir;
    private Hadoop1Install hadoop;
    private int jtHttp;
    private Path jtConf;
    private String jobTrackerLog;

    private static void log(String what) {
        System.out.println("[hadoop1-it] " + what);
    }

    private String logName(String program) {
        return run.logName(program);
    }

    // ---- processes ------------------------------------------------------------------------------------

    private Process startJobTracker() throws Exception {
        String log = run.nextLogName("jt");
        jobTrackerLog = log;
        Process p = run.track(hadoop.start(log, jtConf, MAIN_JT));
        Programs.awaitLog(log, "Elastic slots: scheduling with org.apache.hadoop.mapred.JobQueueTaskScheduler", 60_000);
        SlotsRun.await(() -> {
            try {
                Hadoop1Install.aliveNodes(jtHttp);
                return true;
            } catch (Exception notYet) {
                return false;
            }
        }, 30_000, "the JobTracker's /jmx answers");
        return p;
    }

    private Process startTaskTracker(String host, Path conf) throws Exception {
        Process p = run.track(hadoop.start(logName("tt-" + host), conf, MAIN_TT));
        Programs.awaitLog(logName("tt-" + host), "Elastic slots: " + host + " activates slots by its allocation", 60_000);
        return p;
    }

    /** 'hadoop jar' of the shipped jar's CPU-burn job: MAPS maps of MILLIS each. */
    private Process submit(String name, int maps, int millis) throws Exception {
        return run.track(hadoop.start(logName(name), jtConf, "org.apache.hadoop.util.RunJar",
                hadoop.home.resolve("lib/hadoop-slot-scheduler-hadoop1.jar").toString(), "org.elastichadoop.slots.demo.CpuBurnJob",
                "-maps", Integer.toString(maps), "-millis", Integer.toString(millis),
                dir.resolve(name + "-in.txt").toString(), dir.resolve(name + "-out").toString()));
    }

    private void assertJobDone(String name, Process job, int maps, int millis, long seconds) throws Exception {
        assertTrue(name + " finished within " + seconds + " s; see " + Hadoop1Install.log(logName(name)), job.waitFor(seconds, TimeUnit.SECONDS));
        assertEquals(name + " succeeded; see " + Hadoop1Install.log(logName(name)), 0, job.exitValue());
        String out = Files.readString(dir.resolve(name + "-out/part-r-00000"), StandardCharsets.UTF_8).trim();
        assertEquals(name + "'s output", "burned\t" + ((long) maps * millis), out);
    }

    // ---- what the JobTracker says ----------------------------------------------------------------------

    /** Each tracker's map slots and maps running, from the JobTracker's /jmx. */
    private Map<String, int[]> trackers() throws Exception {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : Hadoop1Install.aliveNodes(jtHttp).entrySet()) {
            out.put(e.getKey(), new int[] {e.getValue().get("map_slots").asInt(), e.getValue().get("map_slots_used").asInt()});
        }
        return out;
    }

    private long awaitSlots(String host, int maps, long ms) throws Exception {
        return samples.awaitCapacity(host, maps, ms, "advertising " + maps + " map slots");
    }

    private int maxRunning(String host, long from, long to) {
        return samples.maxUsed(host, from, to);
    }

    private NodeSamples.Sample latest(String host) {
        return samples.latest(host);
    }

    // ---- inside the TaskTracker's JVM and ZooKeeper -------------------------------------------------------

    /** How many live threads of the process have a name containing {@code part} (jcmd Thread.print). */
    private static int threads(Process p, String part) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()),
                "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS));
        assertTrue("jcmd: " + dump, dump.contains("Full thread dump"));
        int n = 0;
        for (String line : dump.split("\n")) if (line.startsWith("\"") && line.substring(1, line.indexOf('"', 1)).contains(part)) n++;
        return n;
    }

    /** The client connections ZooKeeper has (its 'stat' command), not counting the one asking. */
    private int zooKeeperClients() throws Exception {
        try (Socket s = new Socket("127.0.0.1", run.zkPort)) {
            OutputStream out = s.getOutputStream();
            out.write("stat".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String clients = stat.substring(stat.indexOf("Clients:") + 8, stat.indexOf("\n\n", stat.indexOf("Clients:")));
            return (int) clients.lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    // ---- the test ----------------------------------------------------------------------------------------

    /**
     * A new installation with {@code jar} in its lib/, and the conf dirs of a JobTracker and of a
     * TaskTracker per host: mapred-site.xml from the example, 3 map and 1 reduce slots per tracker.
     */
    private Map<String, Path> install(Path jar, List<String> hosts) throws Exception {
        hadoop = Hadoop1Install.create(dir, jar);
        int jtPort = Programs.freePort();
        jtHttp = Programs.freePort();
        Map<String, String> elastic = new LinkedHashMap<>();
        elastic.put("elastic.slots.zk", run.zk());
        elastic.put("elastic.slots.zk.session.timeout.ms", "4000");
        elastic.put("elastic.slots.allocation.ttl.seconds", Integer.toString(TTL_SECONDS));
        elastic.put("elastic.slots.tasktracker.period.ms", Integer.toString(PERIOD_MS));
        Map<String, String> cluster = new LinkedHashMap<>();
        cluster.put("mapred.job.tracker", "127.0.0.1:" + jtPort);
        cluster.put("mapred.job.tracker.http.address", "127.0.0.1:" + jtHttp);
        cluster.put("mapred.system.dir", dir.resolve("mapred/system").toString());
        cluster.put("mapreduce.jobtracker.staging.root.dir", dir.resolve("mapred/staging").toString());
        cluster.put("mapred.tasktracker.map.tasks.maximum", Integer.toString(CONFIGURED_MAPS));
        cluster.put("mapred.tasktracker.reduce.tasks.maximum", "1");
        cluster.put("mapreduce.tasktracker.outofband.heartbeat", "true");
        cluster.put("mapred.child.java.opts", "-Xmx128m -XX:TieredStopAtLevel=1");
        Map<String, String> jtSite = new LinkedHashMap<>(cluster);
        jtSite.put("mapred.local.dir", dir.resolve("local-jt").toString());
        jtConf = hadoop.writeConf("jobtracker", elastic, jtSite);
        Map<String, Path> ttConf = new LinkedHashMap<>();
        for (String host : hosts) {
            Map<String, String> site = new LinkedHashMap<>(cluster);
            site.put("slave.host.name", host);
            site.put("mapred.task.tracker.report.address", host + ":0");
            site.put("mapred.task.tracker.http.address", host + ":0");
            site.put("mapred.local.dir", dir.resolve("local-" + host).toString());
            ttConf.put(host, hadoop.writeConf("tasktracker-" + host, elastic, site));
        }
        return ttConf;
    }

    private void startSampling() {
        samples = new NodeSamples("jmx-sampler", this::trackers);
    }

    private void newRun() throws Exception {
        run = new SlotsRun("hadoop1");
        dir = run.dir;
    }

    @Test
    public void elasticSlotsInRealHadoopDaemonsFromTheirLibDirAlone() throws Exception {
        newRun();
        Map<String, Path> ttConf = install(Hadoop1Install.SHIPPED_JAR, List.of(TT1, TT2));
        run.neighbours(TT1, 0);
        run.neighbours(TT2, 0);
        // a core per map slot, one reduce slot, no averaging: quiet (0 %) -> 3 maps; busy (50 % of 4 cores) -> 0.8 x 4 - 2 = 1
        run.writeSlotctlYaml(("pollSeconds: 1\nsourceTimeoutSeconds: 1\nrefreshSeconds: " + REFRESH_SECONDS + "\n"
                + "policy:\n  smoothing: 1.0\n  maxStep: 8\n  reduceShare: 0\n  maxMaps: " + CONFIGURED_MAPS + "\n"
                + "  minReduces: 1\n  maxReduces: 1\n"
                + "trackers:\n"
                + "  - {host: '" + TT1 + "', source: pressure, path: " + TT1 + ".pressure, capacityCores: 4}\n"
                + "  - {host: '" + TT2 + "', source: pressure, path: " + TT2 + ".pressure, capacityCores: 4}\n"));

        Process zooKeeper = run.startZooKeeper();
        Process controller = run.startController();
        Process jobTracker = startJobTracker();
        Map<String, Process> trackers = new LinkedHashMap<>();
        for (String host : List.of(TT1, TT2)) trackers.put(host, startTaskTracker(host, ttConf.get(host)));
        startSampling();

        // the trackers as the operator's docs name them: tracker_HOST:HOST/IP:PORT, and HOST is the key
        SlotsRun.await(() -> latest(TT1) != null && latest(TT2) != null, 30_000, "both trackers in the JobTracker's /jmx");
        String listed = hadoop.runClient(logName("list-trackers"), jtConf, 60, "org.apache.hadoop.mapred.JobClient", "-list-active-trackers");
        for (String host : List.of(TT1, TT2)) {
            assertTrue(listed, Pattern.compile("(?m)^tracker_" + Pattern.quote(host) + ":" + Pattern.quote(host) + "/"
                    + Pattern.quote(host) + ":\\d+$").matcher(listed).find());
        }
        awaitSlots(TT1, CONFIGURED_MAPS, 15_000);
        awaitSlots(TT2, CONFIGURED_MAPS, 15_000);

        // tt1's neighbours get busy: it shrinks to one map slot
        long bound = 1000 + PERIOD_MS + HEARTBEAT_MS + 3000;
        run.neighbours(TT1, 50);
        long shrank = awaitSlots(TT1, 1, 30_000);
        log("tt1's neighbours busy -> tt1 advertises 1 map slot after " + shrank + " ms (bound " + bound + ")");
        assertTrue("shrank within " + bound + " ms: " + shrank, shrank <= bound);

        // the job runs at most one map on tt1, three on tt2
        long j1Start = System.currentTimeMillis();
        Process j1 = submit("j1", 60, 600);
        SlotsRun.await(() -> maxRunning(TT2, j1Start, System.currentTimeMillis()) >= 2, 90_000, "j1 running maps on tt2");
        Thread.sleep(6000);
        long quiet = System.currentTimeMillis();
        assertTrue("j1 still running", j1.isAlive());
        int tt1While1 = maxRunning(TT1, j1Start, quiet);
        int tt2Most = maxRunning(TT2, j1Start, quiet);
        log("j1 with tt1 at 1 slot: at most " + tt1While1 + " maps on tt1, " + tt2Most + " on tt2");
        assertEquals("tt1 ran maps, never more than its allocation of 1", 1, tt1While1);
        assertTrue("tt2 at most its 3: " + tt2Most, tt2Most <= CONFIGURED_MAPS && tt2Most >= 2);

        // quiet neighbours: tt1 grows back and runs more than one map
        run.neighbours(TT1, 0);
        long grew = awaitSlots(TT1, CONFIGURED_MAPS, 30_000);
        SlotsRun.await(() -> maxRunning(TT1, quiet, System.currentTimeMillis()) >= 2, 30_000, "tt1 running 2+ maps once grown");
        log("tt1's neighbours quiet -> tt1 advertises 3 after " + grew + " ms and runs " + maxRunning(TT1, quiet, System.currentTimeMillis()));

        // busy again; once the maps it already ran are done, it runs one at a time
        run.neighbours(TT1, 50);
        awaitSlots(TT1, 1, 30_000);
        SlotsRun.await(() -> latest(TT1).used() <= 1, 30_000, "tt1 running down to its allocation");
        long downAt = System.currentTimeMillis();
        Thread.sleep(3000);

        // ZooKeeper and the controller die with kill -9 mid-job: the job completes; after the TTL tt1 is back at 3
        assertTrue("j1 is still running when ZooKeeper dies", j1.isAlive());
        Programs.signal(zooKeeper, "KILL");
        Programs.signal(controller, "KILL");
        long killed = System.currentTimeMillis();
        assertEquals("at most its allocation between the run-down and the kill", 1, maxRunning(TT1, downAt, killed));
        long back = awaitSlots(TT1, CONFIGURED_MAPS, 60_000);
        long latest = TTL_SECONDS * 1000L + PERIOD_MS + HEARTBEAT_MS + 3000;
        long earliest = (TTL_SECONDS - REFRESH_SECONDS - 1) * 1000L;
        log("ZooKeeper and the controller killed -> tt1 back at its configured 3 maps after " + back + " ms (TTL " + TTL_SECONDS
                + " s; window " + earliest + ".." + latest + " ms)");
        assertTrue("not before the TTL: " + back, back >= earliest);
        assertTrue("within the TTL + a period + a heartbeat: " + back, back <= latest);
        assertJobDone("j1", j1, 60, 600, 300);

        // a job submitted while ZooKeeper is still gone completes, on the configured slots
        Process j2 = submit("j2", 12, 300);
        assertJobDone("j2", j2, 12, 300, 180);
        assertEquals(CONFIGURED_MAPS, latest(TT1).capacity());

        // ZooKeeper and the controller back: the hooks and the scheduler follow the allocations again
        run.startZooKeeper();
        run.startController();
        long refollowed = awaitSlots(TT1, 1, 60_000);
        log("ZooKeeper back -> tt1 at 1 map slot again after " + refollowed + " ms");

        // JobTracker restart: the TaskTrackers re-initialise and build new hooks; the old ones are closed
        Programs.signal(jobTracker, "KILL");
        assertTrue(jobTracker.waitFor(10, TimeUnit.SECONDS));
        jobTracker = startJobTracker();
        long restartedAt = System.currentTimeMillis();
        for (String host : List.of(TT1, TT2)) {
            String log = logName("tt-" + host);
            SlotsRun.await(() -> {
                try {
                    return count(Files.readString(Hadoop1Install.log(log), StandardCharsets.ISO_8859_1), "activates slots by its allocation") == 2;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 60_000, host + " building its second hook");
        }
        awaitSlots(TT1, 1, 30_000);
        awaitSlots(TT2, CONFIGURED_MAPS, 30_000);
        log("JobTracker restarted -> both TaskTrackers re-initialised, tt1 at 1 and tt2 at 3 map slots after "
                + (System.currentTimeMillis() - restartedAt) + " ms");
        for (Map.Entry<String, Process> tt : trackers.entrySet()) {
            String text = Files.readString(Hadoop1Install.log(logName("tt-" + tt.getKey())), StandardCharsets.ISO_8859_1);
            Matcher configured = Pattern.compile("activates slots by its allocation \\(configured: (\\d+) maps").matcher(text);
            int hooks = 0;
            while (configured.find()) {
                hooks++;
                assertEquals("the configured maxima, never the lowered value", "3", configured.group(1));
            }
            assertEquals(2, hooks);
            assertTrue(text.contains("its previous hook is closed"));
            assertFalse(text, text.contains("Elastic slots are OFF"));
            assertFalse(text, text.contains("Failed to initialize taskTracker metrics"));
            SlotsRun.await(() -> {
                try {
                    return threads(tt.getValue(), "-SendThread(") == 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, 10_000, tt.getKey() + " having one ZooKeeper client left");
            assertEquals(tt.getKey() + ": slot threads", 1, threads(tt.getValue(), "elastic-slots-activator"));
            assertTrue(tt.getKey() + ": report threads", threads(tt.getValue(), "elastic-slots-reporter") <= 1);
            assertEquals(tt.getKey() + ": ZooKeeper event threads", 1, threads(tt.getValue(), "-EventThread"));
        }
        assertEquals("ZooKeeper's clients: the JobTracker, two TaskTrackers, the controller", 4, zooKeeperClients());

        // and the restarted JobTracker keeps tt1 within its allocation
        long j3Start = System.currentTimeMillis();
        Process j3 = submit("j3", 12, 300);
        assertJobDone("j3", j3, 12, 300, 180);
        assertEquals("after the restart tt1 runs at most its allocation", 1, maxRunning(TT1, j3Start, System.currentTimeMillis()));

        // the daemons' own logs: elastic slots never off; the shaded ZooKeeper client logs warnings there, not INFO
        String jtLog = Files.readString(Hadoop1Install.log(jobTrackerLog), StandardCharsets.ISO_8859_1);
        assertFalse(jtLog, jtLog.contains("FATAL") || jtLog.contains("Elastic slots are OFF"));
        String tt1Log = Files.readString(Hadoop1Install.log(logName("tt-" + TT1)), StandardCharsets.ISO_8859_1);
        assertFalse("ZooKeeper's INFO lines stay out of the daemons' logs", tt1Log.contains("Client environment:"));
        assertTrue("ZooKeeper's warnings reach the TaskTracker's log", Pattern.compile("(?m) (WARN|ERROR) org\\.elastichadoop\\.slots\\.shaded\\.")
                .matcher(tt1Log).find());
    }

    /**
     * The failure that once killed a real JobTracker at start: a class the shaded ZooKeeper client needs
     * is missing from the jar (here: the shaded Netty removed). Both daemons log once that elastic slots
     * are off and why, and Hadoop runs on as if the jar were not there: a job completes on the configured slots.
     */
    @Test
    public void aJarMissingClassesLeavesHadoopRunningWithoutElasticSlots() throws Exception {
        newRun();
        Path broken = dir.resolve("hadoop-slot-scheduler-hadoop1.jar");
        int removed = Hadoop1Install.copyJarWithout(Hadoop1Install.SHIPPED_JAR, broken, "org/elastichadoop/slots/shaded/netty/");
        assertTrue("shaded Netty classes removed: " + removed, removed > 100);
        Map<String, Path> ttConf = install(broken, List.of(TT1));
        String jtLog = run.nextLogName("jt");
        run.track(hadoop.start(jtLog, jtConf, MAIN_JT));
        Programs.awaitLog(jtLog, "Elastic slots are OFF", 60_000);
        run.track(hadoop.start(logName("tt-" + TT1), ttConf.get(TT1), MAIN_TT));
        Programs.awaitLog(logName("tt-" + TT1), "Elastic slots are OFF on this TaskTracker", 60_000);
        startSampling();
        SlotsRun.await(() -> latest(TT1) != null, 60_000, "tt1 in the JobTracker's /jmx");
        assertEquals("the configured slots", CONFIGURED_MAPS, latest(TT1).capacity());

        long jobStart = System.currentTimeMillis();
        assertJobDone("j-off", submit("j-off", 9, 300), 9, 300, 180);
        int most = maxRunning(TT1, jobStart, System.currentTimeMillis());
        log("jar without its shaded Netty: elastic slots off, the job ran up to " + most + " maps on tt1");
        assertTrue("maps ran on the configured slots: " + most, most >= 2 && most <= CONFIGURED_MAPS);
        for (String log : List.of(jtLog, logName("tt-" + TT1))) {
            String text = Files.readString(Hadoop1Install.log(log), StandardCharsets.ISO_8859_1);
            assertEquals(log + ": logged once", 1, count(text, "Elastic slots are OFF"));
            assertTrue(log, text.contains("NoClassDefFoundError") && text.contains("put only the hadoop-slot-scheduler-hadoop1.jar"));
            assertFalse(log, text.contains("FATAL"));
        }
    }

    @After
    public void stop() throws Exception {
        if (samples != null) samples.close();
        if (run != null) run.close();
    }
}
