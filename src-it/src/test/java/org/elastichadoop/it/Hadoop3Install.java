package org.elastichadoop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Hadoop 3.5.0 installation as an operator has it: the release laid out as its tarball lays it out
 * (src-it/hadoop3-release), linked into a directory of its own, with the shipped NodeManager jar alone added to
 * {@code share/hadoop/yarn/lib}. Daemons and clients run as bin/yarn runs them: the conf dir, then
 * {@code share/hadoop/{common,hdfs,mapreduce,yarn}} and their {@code lib/} on the class path, nothing else, and
 * the HADOOP_*_HOME variables the NodeManager hands to its containers.
 */
final class Hadoop3Install {
    static final Path RELEASE = Programs.ROOT.resolve("src-it/hadoop3-release/target/hadoop-3.5.0");
    static final Path NODEMANAGER_JAR = Programs.ROOT.resolve("hadoop-slot-scheduler/yarn/target/hadoop-slot-scheduler-yarn-nodemanager.jar");
    /** The module's own jar: what 'yarn jar' runs the CPU-burn demo from. */
    static final Path DEMO_JAR = Programs.ROOT.resolve("hadoop-slot-scheduler/yarn/target/hadoop-slot-scheduler-yarn.jar");
    static final Path YARN_SITE_EXAMPLE = Programs.ROOT.resolve("conf/yarn-site.xml.example");
    static final String RESOURCE_MANAGER = "org.apache.hadoop.yarn.server.resourcemanager.ResourceManager";
    static final String NODE_MANAGER = "org.apache.hadoop.yarn.server.nodemanager.NodeManager";
    /** What 'yarn node' runs. */
    static final String NODE_CLI = "org.apache.hadoop.yarn.client.cli.NodeCLI";
    /** What 'yarn jar' runs. */
    static final String RUN_JAR = "org.apache.hadoop.util.RunJar";

    final Path home;
    final Path work;

    private Hadoop3Install(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    /** Links the release into {@code dir}/hadoop-3.5.0 (hard links: it is large) and copies the NodeManager jar into share/hadoop/yarn/lib. */
    static Hadoop3Install create(Path dir) throws IOException {
        if (!Files.isDirectory(RELEASE)) throw new AssertionError(RELEASE + " is missing: it is built by the hadoop3-release module");
        for (Path jar : List.of(NODEMANAGER_JAR, DEMO_JAR)) {
            if (!Files.isRegularFile(jar)) throw new AssertionError(jar + " is missing: mvn package builds it");
        }
        Path home = dir.resolve("hadoop-3.5.0");
        try (Stream<Path> all = Files.walk(RELEASE)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = home.resolve(RELEASE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    try {
                        Files.createLink(to, p);
                    } catch (IOException | UnsupportedOperationException otherFileSystem) {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Files.copy(NODEMANAGER_JAR, home.resolve("share/hadoop/yarn/lib").resolve(NODEMANAGER_JAR.getFileName()));
        return new Hadoop3Install(home, dir);
    }

    private String share(String part) {
        return home.resolve("share/hadoop").resolve(part).toString();
    }

    /** What bin/yarn puts on the class path for a conf dir ('yarn classpath'). */
    String classPath(Path conf) {
        String all = File.separator + "*";
        return String.join(File.pathSeparator, conf.toString(),
                share("common/lib") + all, share("common") + all,
                share("hdfs"), share("hdfs/lib") + all, share("hdfs") + all,
                share("mapreduce") + all,
                share("yarn"), share("yarn/lib") + all, share("yarn") + all);
    }

    /** The container class path MapReduce needs (mapreduce.application.classpath), as Hadoop's docs give it. */
    String mapReduceClassPath() {
        return String.join(",", "$HADOOP_MAPRED_HOME/share/hadoop/mapreduce/*", "$HADOOP_MAPRED_HOME/share/hadoop/mapreduce/lib/*",
                "$HADOOP_COMMON_HOME/share/hadoop/common/*", "$HADOOP_COMMON_HOME/share/hadoop/common/lib/*",
                "$HADOOP_YARN_HOME/share/hadoop/yarn/*", "$HADOOP_YARN_HOME/share/hadoop/yarn/lib/*",
                "$HADOOP_HDFS_HOME/share/hadoop/hdfs/*", "$HADOOP_HDFS_HOME/share/hadoop/hdfs/lib/*");
    }

    /** The environment bin/yarn exports (hadoop-config.sh): the NodeManager passes the whitelisted ones to containers. */
    Map<String, String> environment(Path conf) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HADOOP_CONF_DIR", conf.toString());
        for (String name : List.of("HADOOP_HOME", "HADOOP_COMMON_HOME", "HADOOP_HDFS_HOME", "HADOOP_YARN_HOME", "HADOOP_MAPRED_HOME")) {
            env.put(name, home.toString());
        }
        return env;
    }

    /**
     * Writes a conf dir: core-site.xml (the local file system, no HDFS), yarn-site.xml made of conf/yarn-site.xml.example
     * with {@code elastic} replacing its values, then {@code yarnSite}; mapred-site.xml, capacity-scheduler.xml and
     * a log4j.properties with the console appender.
     */
    Path writeConf(String name, Map<String, String> elastic, Map<String, String> yarnSite, Map<String, String> mapredSite,
                   Map<String, String> capacityScheduler) throws Exception {
        Path conf = work.resolve("conf-" + name);
        Files.createDirectories(conf);
        Map<String, String> core = new LinkedHashMap<>();
        core.put("fs.defaultFS", "file:///");
        core.put("hadoop.tmp.dir", work.resolve("tmp-" + name).toString());
        Files.writeString(conf.resolve("core-site.xml"), SiteXml.of(core));
        Files.writeString(conf.resolve("yarn-site.xml"), SiteXml.of(SiteXml.fromExample(YARN_SITE_EXAMPLE, elastic, yarnSite)));
        Files.writeString(conf.resolve("mapred-site.xml"), SiteXml.of(mapredSite));
        Files.writeString(conf.resolve("capacity-scheduler.xml"), SiteXml.of(capacityScheduler));
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "hadoop.root.logger=INFO,console",
                "log4j.rootLogger=${hadoop.root.logger}",
                "log4j.appender.console=org.apache.log4j.ConsoleAppender",
                "log4j.appender.console.target=System.err",
                "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c: %m%n",
                // the MapReduce tasks' own log4j set-up (container-log4j.properties) names this appender
                "log4j.appender.CLA=org.apache.log4j.ConsoleAppender", ""));
        return conf;
    }

    private List<String> java(String name, Path conf, String main, String... args) throws IOException {
        Path tmp = work.resolve("jvmtmp-" + name);
        Files.createDirectories(tmp);
        Path logs = work.resolve("logs-" + name);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Dhadoop.log.dir=" + logs, "-Dyarn.log.dir=" + logs, "-Dhadoop.home.dir=" + home, "-Dyarn.home.dir=" + home,
                "-Dhadoop.id.str=" + name, "-Dhadoop.root.logger=INFO,console", "-Djava.io.tmpdir=" + tmp,
                "-cp", classPath(conf), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a daemon or a client (RunJar, as 'yarn jar'); output to WORK/logs/LOGNAME.log. */
    Process start(String logName, Path conf, String main, String... args) throws IOException {
        return Programs.startCommand(logName, java(logName, conf, main, args), environment(conf), work);
    }

    /** Runs a client to its end and returns its output. */
    String runClient(String logName, Path conf, long seconds, String main, String... args) throws Exception {
        return Programs.awaitSuccess(logName, start(logName, conf, main, args), seconds);
    }

    /** The ResourceManager's nodes (its REST API, /ws/v1/cluster/nodes): host -> the node's JSON. */
    static Map<String, JsonNode> nodes(int webPort) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + webPort + "/ws/v1/cluster/nodes").openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        c.setRequestProperty("Accept", "application/json");
        try (InputStream in = c.getInputStream()) {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            JsonNode nodes = new ObjectMapper().readTree(in).path("nodes").path("node");
            for (JsonNode node : nodes) out.put(node.get("nodeHostName").asText(), node);
            return out;
        } finally {
            c.disconnect();
        }
    }

    static String readOutput(Path dir) throws IOException {
        return Files.readString(dir.resolve("part-r-00000"), StandardCharsets.UTF_8).trim();
    }
}
