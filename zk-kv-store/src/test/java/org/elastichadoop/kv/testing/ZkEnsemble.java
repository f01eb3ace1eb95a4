package org.elastichadoop.kv.testing;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.elastichadoop.kv.procs.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A curator-test {@link TestingCluster} on {@link FreePorts}.
 *
 * <p>{@code new TestingCluster(n)} takes ports the kernel handed out and binds them later, one server after another,
 * while the servers already up connect to each other from ephemeral ports. When one of those connections holds a port
 * a later server is about to bind, that server's quorum listener fails and ZooKeeper calls {@code System.exit(14)}
 * (UNABLE_TO_BIND_QUORUM_PORT), killing the whole test JVM (seen in CI, ControllerIT).
 */
public final class ZkEnsemble {
    private ZkEnsemble() {
    }

    /** An ensemble of {@code servers}, not started, each with its own data directory and three ports. */
    public static TestingCluster of(int servers) throws IOException {
        Set<Integer> reserved = new HashSet<>();
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            int client = reserve(reserved);
            int election = reserve(reserved);
            int quorum = reserve(reserved);
            specs.add(new InstanceSpec(Files.createTempDirectory("zk-ensemble-").toFile(), client, election, quorum, true, -1));
        }
        return new TestingCluster(specs);
    }

    private static int reserve(Set<Integer> reserved) throws IOException {
        int port = FreePorts.belowEphemeral(reserved);
        reserved.add(port);
        return port;
    }
}
