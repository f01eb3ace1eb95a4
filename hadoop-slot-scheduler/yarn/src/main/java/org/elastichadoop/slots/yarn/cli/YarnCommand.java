package org.elastichadoop.slots.yarn.cli;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.conf.Configuration;
import org.elastichadoop.slots.cli.UserException;
import org.elastichadoop.slots.cli.Zk;
import org.elastichadoop.slots.controller.ConfigException;
import org.elastichadoop.slots.controller.ConfigLoader;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.yarn.applier.YarnApplier;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slotctl yarn}: applies the controller's allocations to the NodeManagers of a YARN cluster. */
@Command(name = "slotctl yarn", mixinStandardHelpOptions = true,
        description = {"Applies the slot controller's allocations to YARN NodeManagers through the ResourceManager's admin protocol "
                + "(one service is active, others stand by).",
                "Its user must be in the RM's yarn.admin.acl. See docs/operations.md, \"Elastic capacity on YARN\"."})
public final class YarnCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, paramLabel = "HOST:PORT", description = "ZooKeeper (comma-separated for an ensemble).")
    String zk;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The controller's YAML (see conf/slotctl.yaml), its 'yarn' section.")
    Path config;

    @Option(names = "--id", description = "This service's name in the leader latch (default: host and pid).")
    String id;

    @Option(names = "--session-timeout", defaultValue = "15", paramLabel = "SECONDS",
            description = "ZooKeeper session timeout: how long a dead active service goes unnoticed (default ${DEFAULT-VALUE}).")
    int sessionSeconds;

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new YarnCommand());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserException || e instanceof ConfigException || e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ControllerConfig c = ConfigLoader.load(config);
        Configuration hadoop = hadoopConfiguration(c.yarn.hadoopConf, config);
        String name = id != null ? id : ManagementFactory.getRuntimeMXBean().getName();
        CuratorFramework client = Zk.connect(zk, sessionSeconds * 1000);
        ResourceManagerAdmin rm = new ResourceManagerAdmin(hadoop);
        YarnApplier applier = new YarnApplier(client, c, rm, name, System::currentTimeMillis);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            applier.close();
            rm.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        applier.start();
        System.out.println("slotctl yarn " + name + " ready: ResourceManager " + hadoop.get("yarn.resourcemanager.address", "(HA)")
                + ", ZooKeeper " + zk);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** yarn-site.xml and core-site.xml from 'yarn.hadoopConf', else from $HADOOP_CONF_DIR. */
    static Configuration hadoopConfiguration(String dirSetting, Path configFile) throws ConfigException {
        String dir = dirSetting != null ? dirSetting : System.getenv("HADOOP_CONF_DIR");
        if (dir == null || dir.isEmpty()) {
            throw new ConfigException(configFile + ": 'yarn.hadoopConf' is not set and neither is HADOOP_CONF_DIR; "
                    + "give the directory with the cluster's yarn-site.xml");
        }
        Path d = Paths.get(dir);
        if (dirSetting != null && !d.isAbsolute() && configFile.getParent() != null) d = configFile.getParent().resolve(d);
        Path yarnSite = d.resolve("yarn-site.xml");
        if (!Files.isRegularFile(yarnSite)) {
            throw new ConfigException(configFile + ": 'yarn.hadoopConf' (" + d + ") has no yarn-site.xml");
        }
        Configuration conf = new Configuration();
        for (String name : new String[] {"core-site.xml", "yarn-site.xml"}) {
            File f = d.resolve(name).toFile();
            if (f.isFile()) conf.addResource(new org.apache.hadoop.fs.Path(f.toURI()));
        }
        return conf;
    }
}
