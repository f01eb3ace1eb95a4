package org.elastichadoop.iscsi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.elastichadoop.kv.procs.FreePorts;
import org.elastichadoop.kv.procs.Program;
import org.elastichadoop.kv.procs.RunningProgram;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HDFS as an operator runs it, on this machine: a NameNode and DataNodes as separate processes from a Hadoop 3
 * release layout ({@code share/hadoop/{common,hdfs}} and their {@code lib/}, run the way {@code bin/hdfs} runs them),
 * each with its own conf dir, data dir and log. Shared by {@code bin/iscsi-bench}'s HDFS row and the process-level
 * tests in src-it. Readiness and live DataNodes are read from the NameNode's JMX servlet, so the caller needs no
 * Hadoop classes.
 */
public final class HdfsDaemons implements AutoCloseable {
    public static final String NAME_NODE = "org.apache.hadoop.hdfs.server.namenode.NameNode";
    public static final String DATA_NODE = "org.apache.hadoop.hdfs.server.datanode.DataNode";

    private final Path home;
    private final Path work;
    private final Path logDir;
    private final String logPrefix;
    private final int dataNodeCount;
    private final String javaOpts;
    private final Duration startTimeout;
    private final int rpcPort;
    private final int httpPort;
    private final Path conf;
    private final List<Path> dataNodeConfs = new ArrayList<>();
    private RunningProgram nameNode;
    private final List<RunningProgram> dataNodes = new ArrayList<>();
    private int starts;

    private HdfsDaemons(Path home, Path work, Path logDir, String logPrefix, int dataNodeCount, String javaOpts, Duration startTimeout)
            throws IOException {
        this.home = home;
        this.work = work;
        this.logDir = logDir;
        this.logPrefix = logPrefix;
        this.dataNodeCount = dataNodeCount;
        this.javaOpts = javaOpts;
        this.startTimeout = startTimeout;
        this.rpcPort = FreePorts.belowEphemeral();
        this.httpPort = FreePorts.belowEphemeral(java.util.Set.of(rpcPort));
        this.conf = writeConf("namenode", Map.of("dfs.namenode.name.dir", work.resolve("name").toString()));
        for (int i = 0; i < dataNodeCount; i++) {
            dataNodeConfs.add(writeConf("datanode" + i, Map.of("dfs.datanode.data.dir", work.resolve("data" + i).toString(),
                    "dfs.datanode.address", "127.0.0.1:0", "dfs.datanode.http.address", "127.0.0.1:0", "dfs.datanode.ipc.address", "127.0.0.1:0")));
        }
    }

    /**
     * Daemons of the release in {@code hadoopHome}, with their conf, names and data under {@code work} and their logs
     * in {@code logDir}/{@code logPrefix}NAME.log; nothing starts before {@link #start}.
     */
    public static HdfsDaemons in(Path hadoopHome, Path work, Path logDir, String logPrefix, int dataNodes, String javaOpts,
                                 Duration startTimeout) throws IOException {
        if (!Files.isDirectory(hadoopHome.resolve("share/hadoop/hdfs"))) {
            throw new IOException(hadoopHome + " is not a Hadoop 3 release (no share/hadoop/hdfs); build the one this repo tests with: "
                    + "mvn -B package -pl src-it/hadoop3-release -am -DskipTests -DskipITs");
        }
        Files.createDirectories(work);
        Files.createDirectories(logDir);
        return new HdfsDaemons(hadoopHome, work, logDir, logPrefix, dataNodes, javaOpts, startTimeout);
    }

    /** The file system's URI, e.g. {@code hdfs://127.0.0.1:PORT}. */
    public String uri() {
        return "hdfs://127.0.0.1:" + rpcPort;
    }

    /** A client conf dir (core-site.xml naming the NameNode): what HADOOP_CONF_DIR points at. */
    public Path confDir() {
        return conf;
    }

    public RunningProgram nameNode() {
        return nameNode;
    }

    public List<RunningProgram> dataNodes() {
        return List.copyOf(dataNodes);
    }

    /** Formats the NameNode, starts it and the DataNodes, and waits until every DataNode is live and safe mode is over. */
    public HdfsDaemons start() throws IOException, InterruptedException {
        RunningProgram format = program("namenode-format", conf, NAME_NODE, "-format", "-force", "-nonInteractive").start();
        if (!format.waitFor(startTimeout) || format.process().exitValue() != 0) {
            throw new IOException("formatting the NameNode failed; see " + format.log());
        }
        startNameNode();
        for (int i = 0; i < dataNodeCount; i++) dataNodes.add(program("datanode" + i, dataNodeConfs.get(i), DATA_NODE).start());
        awaitLive(dataNodeCount);
        return this;
    }

    private void startNameNode() throws IOException, InterruptedException {
        nameNode = program("namenode" + (starts++ == 0 ? "" : "-" + starts), conf, NAME_NODE).start();
    }

    /** Stops the NameNode as {@code hdfs --daemon stop namenode} does (SIGTERM), waits {@code down}, starts it again. */
    public void restartNameNode(Duration down) throws IOException, InterruptedException {
        nameNode.stop(RunningProgram.DEFAULT_STOP_GRACE);
        Thread.sleep(down.toMillis());
        startNameNode();
    }

    /** kill -9 of DataNode {@code i}. */
    public void killDataNode(int i) throws InterruptedException {
        dataNodes.get(i).kill();
    }

    /** Starts DataNode {@code i} again on its data dir (after {@link #killDataNode}) and waits until all are live. */
    public void restartDataNode(int i) throws IOException, InterruptedException {
        dataNodes.set(i, program("datanode" + i + "-" + (++starts), dataNodeConfs.get(i), DATA_NODE).start());
        awaitLive(dataNodeCount);
    }

    /** Waits until the NameNode is out of safe mode with {@code n} live DataNodes. */
    public void awaitLive(int n) throws InterruptedException {
        nameNode.await(n + " live DataNodes", startTimeout, () -> {
            JsonNode state = jmx("Hadoop:service=NameNode,name=FSNamesystemState");
            JsonNode info = jmx("Hadoop:service=NameNode,name=NameNodeInfo");
            return state.path("NumLiveDataNodes").asInt() == n && info.path("Safemode").asText("?").isEmpty();
        });
    }

    private JsonNode jmx(String bean) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/jmx?qry=" + bean)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).path("beans").path(0);
    }

    private Path writeConf(String name, Map<String, String> own) throws IOException {
        Path dir = work.resolve("conf-" + name);
        Files.createDirectories(dir);
        Map<String, String> core = new LinkedHashMap<>();
        core.put("fs.defaultFS", uri());
        core.put("hadoop.tmp.dir", work.resolve("tmp-" + name).toString());
        Map<String, String> hdfs = new LinkedHashMap<>();
        hdfs.put("dfs.replication", "3");
        hdfs.put("dfs.namenode.safemode.extension", "0");
        hdfs.put("dfs.namenode.rpc-address", "127.0.0.1:" + rpcPort);
        hdfs.put("dfs.namenode.http-address", "127.0.0.1:" + httpPort);
        hdfs.putAll(own);
        Files.writeString(dir.resolve("core-site.xml"), siteXml(core));
        Files.writeString(dir.resolve("hdfs-site.xml"), siteXml(hdfs));
        Files.writeString(dir.resolve("log4j.properties"), String.join("\n",
                "log4j.rootLogger=INFO,console",
                "log4j.appender.console=org.apache.log4j.ConsoleAppender",
                "log4j.appender.console.target=System.err",
                "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c: %m%n", ""));
        return dir;
    }

    static String siteXml(Map<String, String> properties) {
        StringBuilder s = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        properties.forEach((k, v) -> s.append("  <property><name>").append(k).append("</name><value>").append(v.replace("&", "&amp;")
                .replace("<", "&lt;")).append("</value></property>\n"));
        return s.append("</configuration>\n").toString();
    }

    /** A daemon as bin/hdfs runs it: its conf dir first on the class path, then the release's common and hdfs jars. */
    private Program program(String name, Path confDir, String main, String... args) throws IOException {
        Path tmp = work.resolve("jvmtmp-" + name);
        Files.createDirectories(tmp);
        String all = File.separator + "*";
        String classPath = String.join(File.pathSeparator, confDir.toString(), share("common/lib") + all, share("common") + all,
                share("hdfs"), share("hdfs/lib") + all, share("hdfs") + all);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String opt : javaOpts.trim().split("\\s+")) if (!opt.isEmpty()) cmd.add(opt);
        cmd.addAll(List.of("-Dhadoop.log.dir=" + logDir, "-Dhadoop.home.dir=" + home, "-Dhadoop.id.str=" + name,
                "-Dhadoop.root.logger=INFO,console", "-Djava.io.tmpdir=" + tmp, "-cp", classPath, main));
        cmd.addAll(List.of(args));
        Map<String, String> env = Map.of("HADOOP_CONF_DIR", confDir.toString(), "HADOOP_HOME", home.toString());
        return Program.of(logPrefix + name, cmd, logDir.resolve(logPrefix + name + ".log")).env(env).in(work).ownSession();
    }

    private String share(String part) {
        return home.resolve("share/hadoop").resolve(part).toString();
    }

    @Override
    public void close() {
        for (RunningProgram d : dataNodes) d.close();
        if (nameNode != null) nameNode.close();
    }
}
