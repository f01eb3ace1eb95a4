package org.elastichadoop.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Test;

/**
 * Elastic capacity in real Hadoop 3.5.0 daemons: a Hadoop installation laid out as the release tarball lays it out
 * (src-it/hadoop3-release), the shipped NodeManager jar alone added to share/hadoop/yarn/lib, yarn-site.xml written
 * from conf/yarn-site.xml.example; bin/zookeeper, bin/slotctl controller (pressure files the test changes as the
 * neighbours' CPU) and bin/slotctl yarn, a ResourceManager and two NodeManagers (127.0.0.2 and 127.0.0.3) as
 * separate JVMs. Everything is observed through Hadoop's own interfaces: the RM's REST API, 'yarn node -list
 * -showDetails', 'yarn jar' of the CPU-burn demo and its output.
 *
 * <p>The story: nm1's neighbours get busy while the demo job runs; nm1 shrinks to 1 vcore and, after the overcommit
 * grace, runs no more than that (the RM preempts the rest, the job runs them again); quiet neighbours grow it back
 * and it runs several containers again; the controller killed, nm1 gets its own resources back after the TTL; the
 * job's sum is exact throughout.
 */
public class YarnDaemonsIT {
    private static final String NM1 = "127.0.0.2";
    private static final String NM2 = "127.0.0.3";
    private static final int VCORES = 4;
    private static final int MEMORY_MB = 4096;
    private static final int TTL_SECONDS = 8;
    private static final int OVERCOMMIT_SECONDS = 4;
    private static final int HEARTBEAT_MS = 500;
    /** The demo job: maps of this much CPU each, long enough on two busy cores to outlast the grace. */
    private static final int MAPS = 20;
    private static final int MAP_MILLIS = 5000;
    private static final Pattern RM_LOG_TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) ");

    private NodeSamples samples;
    private SlotsRun run;
    private Path dir;
    private Hadoop3Install hadoop;
    private int rmWeb;
    private Path clientConf;

    private static void log(String what) {
        System.out.println("[yarn-it] " + what);
    }

    private String logName(String program) {
        return run.logName(program);
    }

    // ---- the installation and its configuration -------------------------------------------------------

    /** Conf dirs of the ResourceManager (also the clients') and of each NodeManager. */
    private Map<String, Path> install() throws Exception {
        hadoop = Hadoop3Install.create(dir);
        rmWeb = Programs.freePort();
        Map<String, String> elastic = new LinkedHashMap<>();
        elastic.put("elastic.slots.zk", run.zk());
        elastic.put("elastic.slots.report.seconds", "1");
        // the docs: add the user 'slotctl yarn' runs as to the admin ACL
        elastic.put("yarn.admin.acl", System.getProperty("user.name"));
        elastic.put("yarn.resourcemanager.connect.retry-interval.ms", "250");

        Map<String, String> cluster = new LinkedHashMap<>();
        cluster.put("yarn.resourcemanager.hostname", "127.0.0.1");
        for (String key : List.of("address", "scheduler.address", "resource-tracker.address", "admin.address")) {
            cluster.put("yarn.resourcemanager." + key, "127.0.0.1:" + Programs.freePort());
        }
        cluster.put("yarn.resourcemanager.webapp.address", "127.0.0.1:" + rmWeb);
        cluster.put("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", Integer.toString(HEARTBEAT_MS));
        cluster.put("yarn.scheduler.minimum-allocation-mb", "128");
        cluster.put("yarn.nodemanager.resource.cpu-vcores", Integer.toString(VCORES));
        cluster.put("yarn.nodemanager.resource.memory-mb", Integer.toString(MEMORY_MB));
        cluster.put("yarn.nodemanager.vmem-check-enabled", "false");
        cluster.put("yarn.nodemanager.pmem-check-enabled", "false");
        cluster.put("yarn.nodemanager.aux-services.mapreduce_shuffle.class", "org.apache.hadoop.mapred.ShuffleHandler");
        cluster.put("yarn.nodemanager.env-whitelist", "JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,"
                + "CLASSPATH_PREPEND_DISTCACHE,HADOOP_YARN_HOME,HADOOP_HOME,PATH,LANG,TZ,HADOOP_MAPRED_HOME");
        cluster.put("yarn.nodemanager.delete.debug-delay-sec", "600");

        Map<String, String> mapred = new LinkedHashMap<>();
        mapred.put("mapreduce.framework.name", "yarn");
        mapred.put("yarn.app.mapreduce.am.staging-dir", dir.resolve("staging").toString());
        mapred.put("mapreduce.application.classpath", hadoop.mapReduceClassPath());
        for (String env : List.of("yarn.app.mapreduce.am.env", "mapreduce.map.env", "mapreduce.reduce.env")) {
            mapred.put(env, "HADOOP_MAPRED_HOME=" + hadoop.home);
        }
        mapred.put("yarn.app.mapreduce.am.resource.mb", "512");
        mapred.put("yarn.app.mapreduce.am.command-opts", "-Xmx384m -XX:TieredStopAtLevel=1");
        mapred.put("mapreduce.map.memory.mb", "256");
        mapred.put("mapreduce.reduce.memory.mb", "256");
        mapred.put("mapreduce.map.java.opts", "-Xmx160m -XX:TieredStopAtLevel=1");
        mapred.put("mapreduce.reduce.java.opts", "-Xmx160m -XX:TieredStopAtLevel=1");
        mapred.put("mapreduce.job.reduce.slowstart.completedmaps", "1.0");
        // no JobHistory server: the client takes the final state from the ResourceManager
        mapred.put("mapreduce.jobhistory.address", "");

        Map<String, String> capacity = new LinkedHashMap<>();
        capacity.put("yarn.scheduler.capacity.root.queues", "default");
        capacity.put("yarn.scheduler.capacity.root.default.capacity", "100");
        capacity.put("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
        capacity.put("yarn.scheduler.capacity.resource-calculator", "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator");

        Map<String, Path> conf = new LinkedHashMap<>();
        conf.put("rm", hadoop.writeConf("rm", elastic, cluster, mapred, capacity));
        for (String host : List.of(NM1, NM2)) {
            Map<String, String> site = new LinkedHashMap<>(cluster);
            site.put("yarn.nodemanager.hostname", host);
            for (String key : List.of("address", "localizer.address", "webapp.address")) {
                site.put("yarn.nodemanager." + key, host + ":" + Programs.freePort());
            }
            site.put("yarn.nodemanager.local-dirs", dir.resolve("nm-local-" + host).toString());
            site.put("yarn.nodemanager.log-dirs", dir.resolve("nm-logs-" + host).toString());
            Map<String, String> nmMapred = new LinkedHashMap<>(mapred);
            // the ShuffleHandler reads its port from the NodeManager's mapred-site.xml and binds every address
            nmMapred.put("mapreduce.shuffle.port", Integer.toString(Programs.freePort()));
            conf.put(host, hadoop.writeConf("nm-" + host, elastic, site, nmMapred, capacity));
        }
        clientConf = conf.get("rm");
        return conf;
    }

    // ---- processes ------------------------------------------------------------------------------------

    /** 'yarn jar' of the module's jar: the CPU-burn demo, MAPS maps of MILLIS each. */
    private Process submit(String name, int maps, int millis) throws Exception {
        return run.track(hadoop.start(logName(name), clientConf, Hadoop3Install.RUN_JAR, Hadoop3Install.DEMO_JAR.toString(),
                "org.elastichadoop.slots.demo.CpuBurnJob", "-maps", Integer.toString(maps), "-millis", Integer.toString(millis),
                dir.resolve(name + "-in.txt").toString(), dir.resolve(name + "-out").toString()));
    }

    private void assertJobDone(String name, Process job, int maps, int millis, long seconds) throws Exception {
        assertTrue(name + " finished within " + seconds + " s; see " + Programs.log(logName(name)), job.waitFor(seconds, TimeUnit.SECONDS));
        assertEquals(name + " succeeded; see " + Programs.log(logName(name)), 0, job.exitValue());
        assertEquals(name + "'s output", "burned\t" + ((long) maps * millis), Hadoop3Install.readOutput(dir.resolve(name + "-out")));
    }

    // ---- what the ResourceManager says -----------------------------------------------------------------

    /** Each RUNNING NodeManager's vcores and vcores in use, from the RM's REST API (an overcommitted node has fewer than zero available). */
    private Map<String, int[]> nodeManagers() throws Exception {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : Hadoop3Install.nodes(rmWeb).entrySet()) {
            JsonNode n = e.getValue();
            if (!"RUNNING".equals(n.path("state").asText())) continue;
            int used = n.path("usedVirtualCores").asInt();
            out.put(e.getKey(), new int[] {used + n.path("availableVirtualCores").asInt(), used});
        }
        return out;
    }

    private long awaitVcores(String host, int vcores, long ms) throws Exception {
        return samples.awaitCapacity(host, vcores, ms, "having " + vcores + " vcores at the ResourceManager");
    }

    /** slotctl status --json: the row of {@code host}. */
    private JsonNode status(String host) throws Exception {
        Programs.Result r = Programs.run(Map.of(), null, "slotctl", "status", "--zk", run.zk(), "--json");
        assertEquals(r.err(), 0, r.exit());
        for (JsonNode row : new ObjectMapper().readTree(r.out()).path("trackers")) {
            if (row.path("tracker").asText().equals(host)) return row;
        }
        return null;
    }

    private void awaitStatus(String host, java.util.function.Predicate<JsonNode> condition, String what) throws Exception {
        JsonNode[] last = new JsonNode[1];
        try {
            SlotsRun.await(() -> {
                try {
                    last[0] = status(host);
                    return last[0] != null && condition.test(last[0]);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, 15_000, "slotctl status: " + what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last[0], e);
        }
    }

    // ---- the test ----------------------------------------------------------------------------------------

    @Test
    public void elasticCapacityInRealYarnDaemonsFromShareHadoopYarnLib() throws Exception {
        run = new SlotsRun("yarn");
        dir = run.dir;
        Map<String, Path> conf = install();
        run.neighbours(NM1, 0);
        run.neighbours(NM2, 0);
        // a vcore per slot, no reduce slots, no averaging: quiet (0 %) -> 4 vcores; busy (75 % of 4 cores) -> 4 - 3 = 1
        run.writeSlotctlYaml(("pollSeconds: 1\nsourceTimeoutSeconds: 1\nrefreshSeconds: 2\n"
                + "policy:\n  targetUtilisation: 1.0\n  smoothing: 1.0\n  maxStep: 8\n  reduceShare: 0\n  minMaps: 1\n  maxMaps: " + VCORES + "\n"
                + "  minReduces: 0\n  maxReduces: 0\n"
                + "trackers:\n"
                + "  - {host: '" + NM1 + "', source: pressure, path: " + NM1 + ".pressure, capacityCores: 4}\n"
                + "  - {host: '" + NM2 + "', source: pressure, path: " + NM2 + ".pressure, capacityCores: 4}\n"
                + "yarn:\n  hadoopConf: " + clientConf + "\n  pollSeconds: 1\n  memoryStepMb: 512\n"
                + "  overcommitTimeoutSeconds: " + OVERCOMMIT_SECONDS + "\n  ttlSeconds: " + TTL_SECONDS + "\n"));

        run.startZooKeeper();
        Process controller = run.startController();
        run.track(hadoop.start(logName("rm"), conf.get("rm"), Hadoop3Install.RESOURCE_MANAGER));
        for (String host : List.of(NM1, NM2)) {
            String log = logName("nm-" + host);
            run.track(hadoop.start(log, conf.get(host), Hadoop3Install.NODE_MANAGER));
            Programs.awaitLog(log, "Elastic slots: reporting this NodeManager as " + host, 90_000);
        }
        samples = new NodeSamples("rm-sampler", this::nodeManagers);
        SlotsRun.await(() -> samples.latest(NM1) != null && samples.latest(NM2) != null, 90_000, "both NodeManagers RUNNING at the ResourceManager");
        run.startSlotctl("yarn", "is now the active one");
        awaitVcores(NM1, VCORES, 15_000);
        awaitVcores(NM2, VCORES, 15_000);

        // the operator's view: the NodeManager's own resources, and the aux service's report of its containers
        awaitStatus(NM1, row -> row.path("containers").asInt(-1) == 0
                && row.path("yarn").path(0).path("configured").asText().equals(VCORES + " vcores, " + MEMORY_MB + " MB"), "nm1 reported, 0 containers");

        // the demo job, then nm1's neighbours get busy: 1 vcore within two polls and a heartbeat
        long j1Start = System.currentTimeMillis();
        Process j1 = submit("j1", MAPS, MAP_MILLIS);
        SlotsRun.await(() -> samples.maxUsed(NM1, j1Start, System.currentTimeMillis()) >= 3, 120_000, "j1 running 3+ containers on nm1");
        run.neighbours(NM1, 75);
        long shrank = awaitVcores(NM1, 1, 30_000);
        long shrunkAt = System.currentTimeMillis();
        long bound = 2 * 1000 + 1000 + HEARTBEAT_MS + 2000;
        log("nm1's neighbours busy -> 1 vcore at the RM after " + shrank + " ms (bound " + bound + ")");
        assertTrue("shrank within " + bound + " ms: " + shrank, shrank <= bound);
        awaitStatus(NM1, row -> row.path("containers").asInt() >= 1 && row.path("yarn").path(0).path("applied").asText().equals("1 vcores, 1024 MB"),
                "nm1 with 1 vcore applied and its containers reported");
        String nodes = hadoop.runClient(logName("node-list"), clientConf, 60, Hadoop3Install.NODE_CLI, "-list", "-showDetails");
        assertTrue("yarn node -list -showDetails shows nm1's 1 vcore:\n" + nodes,
                Pattern.compile("(?s)" + Pattern.quote(NM1) + ":\\d+\\s+RUNNING.*?Configured Resources : <memory:\\d+, vCores:1>").matcher(nodes).find());

        // the RM keeps nm1's containers for the overcommit grace, then preempts what exceeds the vcore
        SlotsRun.await(() -> samples.latest(NM1).used() <= 1, OVERCOMMIT_SECONDS * 1000L + 30_000, "nm1 back within its 1 vcore");
        long within = samples.all().stream().filter(x -> x.host().equals(NM1) && x.at() >= shrunkAt && x.used() <= 1)
                .mapToLong(x -> x.at() - shrunkAt).min().orElseThrow();
        long grace = rmGraceMillis(Files.readString(Programs.log(logName("rm")), StandardCharsets.ISO_8859_1));
        log("the RM preempted nm1's containers beyond 1 vcore " + grace + " ms after the update (grace " + OVERCOMMIT_SECONDS
                + " s); the RM showed nm1 within its vcore " + within + " ms after it showed the 1 vcore");
        assertTrue("the grace is honoured: " + grace, grace >= OVERCOMMIT_SECONDS * 1000L);
        assertTrue("and not much more (a few heartbeats on a loaded machine): " + grace, grace <= OVERCOMMIT_SECONDS * 1000L + 5000);
        String seen = samples.describe(NM1, shrunkAt, shrunkAt + OVERCOMMIT_SECONDS * 1000L + 2000);
        log("nm1 at the RM from the shrink on (ms: vcores/used):" + seen);
        assertTrue("nm1 kept more than its vcore's containers during the grace:" + seen,
                samples.maxUsed(NM1, shrunkAt, shrunkAt + OVERCOMMIT_SECONDS * 1000L - 1000) >= 2);
        long settled = System.currentTimeMillis();
        Thread.sleep(8000);
        long quiet = System.currentTimeMillis();
        assertTrue("j1 still running", j1.isAlive());
        int whileBusy = samples.maxUsed(NM1, settled, quiet);
        log("j1 with nm1 at 1 vcore: at most " + whileBusy + " vcores used on nm1, " + samples.maxUsed(NM2, j1Start, quiet) + " on nm2");
        assertTrue("nm1 within its allocation after the grace: " + whileBusy, whileBusy <= 1);

        // quiet neighbours: nm1 grows back and runs several containers again
        run.neighbours(NM1, 0);
        long grew = awaitVcores(NM1, VCORES, 30_000);
        SlotsRun.await(() -> samples.maxUsed(NM1, quiet, System.currentTimeMillis()) >= 2, 60_000, "nm1 running 2+ containers once grown");
        log("nm1's neighbours quiet -> " + VCORES + " vcores after " + grew + " ms; nm1 runs " + samples.maxUsed(NM1, quiet, System.currentTimeMillis()));
        assertJobDone("j1", j1, MAPS, MAP_MILLIS, 600);

        // the controller killed while nm1 is busy: its allocation goes stale and nm1 gets its own resources back
        run.neighbours(NM1, 75);
        awaitVcores(NM1, 1, 30_000);
        Programs.signal(controller, "KILL");
        long restored = awaitVcores(NM1, VCORES, 60_000);
        log("controller killed -> nm1 back at its own " + VCORES + " vcores after " + restored + " ms (TTL " + TTL_SECONDS + " s)");
        assertTrue("not before the TTL less a refresh: " + restored, restored >= (TTL_SECONDS - 3) * 1000L);
        assertTrue("within the TTL + two polls + a heartbeat: " + restored, restored <= TTL_SECONDS * 1000L + 2000 + HEARTBEAT_MS + 3000);

        // the NodeManagers' logs: the service never failed them, one report thread each
        for (String host : List.of(NM1, NM2)) {
            String text = Files.readString(Programs.log(logName("nm-" + host)), StandardCharsets.ISO_8859_1);
            assertFalse(host + ": " + text, text.contains("Elastic slots: stopping"));
            assertFalse(host, text.contains("FATAL"));
        }
    }

    /**
     * From the RM's own log: the time from its taking nm1's 1 vcore (AdminService "Update resource on node") to its
     * first kill of a container beyond it (AbstractYarnScheduler "MARK_CONTAINER_FOR_KILLABLE").
     */
    private static long rmGraceMillis(String rmLog) {
        java.text.SimpleDateFormat format = new java.text.SimpleDateFormat("yyyy-MM-dd HH:mm:ss,SSS");
        long updated = -1;
        for (String line : rmLog.split("\n")) {
            java.util.regex.Matcher time = RM_LOG_TIME.matcher(line);
            if (!time.find()) continue;
            try {
                if (updated < 0 && line.contains("Update resource on node(" + NM1 + ":") && line.contains("vCores:1>, overCommitTimeout:")) {
                    assertTrue("the RM got the grace in milliseconds: " + line, line.contains("overCommitTimeout:" + OVERCOMMIT_SECONDS * 1000 + ")"));
                    updated = format.parse(time.group(1)).getTime();
                } else if (updated >= 0 && line.contains("MARK_CONTAINER_FOR_KILLABLE")) {
                    return format.parse(time.group(1)).getTime() - updated;
                }
            } catch (java.text.ParseException e) {
                throw new AssertionError(line, e);
            }
        }
        throw new AssertionError("the RM's log has no update of nm1 to 1 vcore followed by a container killed for it");
    }

    @After
    public void stop() throws Exception {
        if (samples != null) samples.close();
        if (run != null) run.close();
    }
}
