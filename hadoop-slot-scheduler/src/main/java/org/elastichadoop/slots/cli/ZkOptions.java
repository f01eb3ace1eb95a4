package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import picocli.CommandLine.Option;

/** Where the slot znodes are: shared by the admin commands (a picocli mixin). */
final class ZkOptions {
    @Option(names = "--zk", defaultValue = "127.0.0.1:2181", paramLabel = "HOST:PORT", description = "ZooKeeper (default ${DEFAULT-VALUE}).")
    String zk;

    @Option(names = "--root", defaultValue = SlotPaths.DEFAULT_ROOT, description = "ZooKeeper root of the slot znodes (default ${DEFAULT-VALUE}).")
    String root;

    /** A connected client; the caller closes it. */
    CuratorFramework connect() throws InterruptedException {
        return Zk.connect(zk, 10_000);
    }

    AllocationStore store(CuratorFramework client) {
        return new AllocationStore(client, new SlotPaths(root));
    }
}
