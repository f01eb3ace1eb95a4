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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A Hadoop 1.2.1 installation as an operator has it: the release laid out as its tarball lays it out
 * (src-it/hadoop1-release), copied to a directory of its own, with nothing added to {@code lib/} but the
 * shipped hadoop-slot-scheduler-hadoop1.jar. Daemons and clients run as bin/hadoop runs them: their conf
 * dir, then {@code $HADOOP_HOME}, hadoop-core and {@code lib/*} on the class path, nothing else.
 */
final class Hadoop1Install {
    static final Path RELEASE = Programs.ROOT.resolve("src-it/hadoop1-release/target/hadoop-1.2.1");
    static final Path SHIPPED_JAR = Programs.ROOT.resolve("hadoop-slot-scheduler/target/hadoop-slot-scheduler-hadoop1.jar");
    static final Path MAPRED_SITE_EXAMPLE = Programs.ROOT.resolve("conf/mapred-site.xml.example");

    final Path home;
    final Path work;

    private Hadoop1Install(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    /** Copies the release to {@code dir}/hadoop-1.2.1 and drops {@code jar} (the shipped one, as a rule) into its lib/. */
    static Hadoop1Install create(Path dir, Path jar) throws IOException {
        if (!Files.isDirectory(RELEASE)) throw new AssertionError(RELEASE + " is missing: it is built by the hadoop1-release module");
        if (!Files.isRegularFile(SHIPPED_JAR)) throw new AssertionError(SHIPPED_JAR + " is missing: mvn package builds it");
        Path home = dir.resolve("hadoop-1.2.1");
        try (Stream<Path> all = Files.walk(RELEASE)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = home.resolve(RELEASE.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(jar, home.resolve("lib").resolve(SHIPPED_JAR.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        return new Hadoop1Install(home, dir);
    }

    /** Copies a jar without the entries under {@code prefix}; returns how many were left out. */
    static int copyJarWithout(Path from, Path to, String prefix) throws IOException {
        int removed = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().startsWith(prefix)) {
                    removed++;
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
        }
        return removed;
    }

    /** What bin/hadoop puts on the class path for a conf dir. */
    String classPath(Path conf) {
        return String.join(File.pathSeparator, conf.toString(), home.toString(), home.resolve("hadoop-core-1.2.1.jar").toString(),
                home.resolve("lib") + File.separator + "*", home.resolve("lib/jsp-2.1") + File.separator + "*");
    }

    /**
     * Writes a conf dir: core-site.xml (the local file system, no HDFS), mapred-site.xml made of
     * conf/mapred-site.xml.example with {@code elastic} replacing its values, then {@code site} (the
     * cluster's own keys), and the tarball's log4j.properties with the console appender.
     */
    Path writeConf(String name, Map<String, String> elastic, Map<String, String> site) throws Exception {
        Path conf = work.resolve("conf-" + name);
        Files.createDirectories(conf);
        Map<String, String> core = new LinkedHashMap<>();
        core.put("fs.default.name", "file:///");
        core.put("hadoop.tmp.dir", work.resolve("tmp-" + name).toString());
        Files.write(conf.resolve("core-site.xml"), SiteXml.of(core).getBytes(StandardCharsets.UTF_8));
        Map<String, String> mapred = SiteXml.fromExample(MAPRED_SITE_EXAMPLE, elastic, site);
        Files.write(conf.resolve("mapred-site.xml"), SiteXml.of(mapred).getBytes(StandardCharsets.UTF_8));
        Files.write(conf.resolve("log4j.properties"), String.join("\n",
                "hadoop.root.logger=INFO,console",
                "log4j.rootLogger=${hadoop.root.logger}",
                "log4j.appender.console=org.apache.log4j.ConsoleAppender",
                "log4j.appender.console.target=System.err",
                "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c: %m%n", "").getBytes(StandardCharsets.UTF_8));
        return conf;
    }

    private List<String> java(String name, Path conf, String main, String... args) throws IOException {
        Path tmp = work.resolve("jvmtmp-" + name);
        Files.createDirectories(tmp);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dhadoop.log.dir=" + work.resolve("logs-" + name), "-Dhadoop.home.dir=" + home, "-Dhadoop.id.str=" + name,
                "-Djava.io.tmpdir=" + tmp, "-cp", classPath(conf), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts a daemon (org.apache.hadoop.mapred.JobTracker) or a client (RunJar, as 'hadoop jar'); output to WORK/logs/LOGNAME.log. */
    Process start(String logName, Path conf, String main, String... args) throws IOException {
        return Programs.startCommand(logName, java(logName, conf, main, args), Map.of(), work);
    }

    /** Runs a client to its end and returns its output. */
    String runClient(String logName, Path conf, long seconds, String main, String... args) throws Exception {
        return Programs.awaitSuccess(logName, start(logName, conf, main, args), seconds);
    }

    static Path log(String logName) {
        return Programs.log(logName);
    }

    /** The JobTracker's view of its live trackers (its /jmx, AliveNodesInfoJson): host -> slots. */
    static Map<String, JsonNode> aliveNodes(int jobTrackerHttpPort) throws IOException {
        URL url = new URL("http://127.0.0.1:" + jobTrackerHttpPort + "/jmx?qry=Hadoop:service=JobTracker,name=JobTrackerInfo");
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = c.getInputStream()) {
            JsonNode beans = json.readTree(in).get("beans");
            Map<String, JsonNode> out = new LinkedHashMap<>();
            if (beans == null || beans.size() == 0) return out;
            for (JsonNode node : json.readTree(beans.get(0).get("AliveNodesInfoJson").asText())) {
                out.put(node.get("hostname").asText(), node.get("slots"));
            }
            return out;
        } finally {
            c.disconnect();
        }
    }
}
