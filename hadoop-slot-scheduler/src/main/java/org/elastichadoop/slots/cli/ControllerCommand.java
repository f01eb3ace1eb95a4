package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.controller.ConfigLoader;
import org.elastichadoop.slots.controller.Controller;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.controller.ControllerSources;
import org.elastichadoop.slots.allocation.TrackerReport;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
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
        AllocationStore store = new AllocationStore(client, new SlotPaths(c.zkRoot));
        long freshMillis = 3L * c.pollSeconds * 1000 + 10_000;
        // mode host: Hadoop's own CPU on a host is what its TaskTracker's VM was busy with, as the hook reports it
        java.util.function.ToDoubleFunction<String> hadoopCoresOf = host -> {
            try {
                TrackerReport r = store.readReport(host).orElseThrow(() -> new IllegalStateException("no report from the TaskTracker hook of " + host));
                if (System.currentTimeMillis() - r.timestampMillis() > freshMillis) {
                    throw new IllegalStateException("the TaskTracker hook's report of " + host + " is stale");
                }
                return r.busyCores();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("reading the report of " + host + ": " + e.getMessage(), e);
            }
        };
        Controller controller = new Controller(client, c, ControllerSources.fromConfig(c, config, hadoopCoresOf), name, System::currentTimeMillis);
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
