package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.controller.ConfigLoader;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.controller.ControllerSources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Runs a controller: polls each tracker's counters, runs the policy, publishes allocations in ZooKeeper.")
final class ControllerCommand implements Callable<Integer> {
    @Option(names = "--zk", required = true, paramLabel = "HOST:PORT", description = "ZooKeeper (comma-separated for an ensemble).")
    String zk;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The controller's YAML (see conf/slotctl.yaml).")
    Path config;

    @Option(names = "--id", description = "This controller's name in the leader latch (default: host and pid).")
    String id;

    @Option(names = "--session-timeout", defaultValue = "15", paramLabel = "SECONDS",
            description = "ZooKeeper session timeout: how long a dead active controller goes unnoticed (default ${DEFAULT-VALUE}).")
    int sessionSeconds;

    @Override
    public Integer call() throws Exception {
        ControllerConfig c = ConfigLoader.load(config);
        String name = id != null ? id : ManagementFactory.getRuntimeMXBean().getName();
        CuratorFramework client = Zk.connect(zk, sessionSeconds * 1000);
        Controller controller = new Controller(client, c, ControllerSources.fromConfig(c, config), name, System::currentTimeMillis);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        controller.start();
        System.out.println("slotctl controller " + name + " ready: " + c.trackers.size() + " tracker(s), ZooKeeper " + zk);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
