package org.elastichadoop.kv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** bin/zookeeper: a real standalone ZooKeeper server for one machine. */
@Command(name = "zookeeper", mixinStandardHelpOptions = true,
        description = "Runs a standalone ZooKeeper server (for one machine; use a real ensemble in production).")
public final class ZooKeeperCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "2181", description = "client port (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--data", required = true, description = "directory for snapshots and logs")
    Path data;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--config", description = "properties file with defaults for these options")
    Path config;

    public static void main(String[] args) {
        System.exit(Cli.run(new ZooKeeperCommand(), args));
    }

    /** Starts a server; the caller closes it. */
    public static ZooKeeperServerEmbedded start(String host, int port, Path data) throws Exception {
        Files.createDirectories(data);
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", host);
        p.setProperty("dataDir", data.resolve("data").toAbsolutePath().toString());
        p.setProperty("tickTime", "2000");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", "ruok,stat,mntr");
        ZooKeeperServerEmbedded zk = ZooKeeperServerEmbedded.builder()
                .baseDir(data.toAbsolutePath())
                .configuration(p)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        zk.start(30_000);
        return zk;
    }

    @Override
    public Integer call() throws Exception {
        ZooKeeperServerEmbedded zk = start(host, port, data);
        System.out.println("ZooKeeper serving on " + host + ":" + port + ", data in " + data.toAbsolutePath());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            zk.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
