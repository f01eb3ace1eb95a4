package org.elastichadoop.kv.procs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The store's two server programs, bin/zookeeper and bin/kvnode, as {@link Program}s, and the lines that say they are up. */
public final class KvPrograms {
    /** What bin/zookeeper prints once it serves clients. */
    public static final String ZOOKEEPER_READY = "ZooKeeper serving";
    /** What bin/kvnode prints once it has joined the cluster and serves requests. */
    public static final String NODE_READY = "ready on";

    private KvPrograms() {
    }

    /** A standalone ZooKeeper on 127.0.0.1:{@code port} with its data under {@code data}. */
    public static Program zooKeeper(Launcher launcher, int port, Path data, Path log) {
        return Program.of("ZooKeeper", launcher.command(List.of("--port", Integer.toString(port), "--data", data.toString())), log);
    }

    /**
     * A kv node {@code id} on 127.0.0.1:{@code port} (metrics on {@code metricsPort}, none if negative) with its data
     * under {@code data}, a member of the cluster in ZooKeeper {@code zk}; {@code extraArgs} are further kvnode options.
     */
    public static Program kvNode(Launcher launcher, String zk, String id, int port, int metricsPort, Path data, List<String> extraArgs,
                                 Path log) {
        List<String> args = new ArrayList<>(List.of("--zk", zk, "--id", id, "--port", Integer.toString(port)));
        if (metricsPort >= 0) args.addAll(List.of("--metrics-port", Integer.toString(metricsPort)));
        args.addAll(List.of("--data", data.toString()));
        args.addAll(extraArgs);
        return Program.of(id, launcher.command(args), log);
    }
}
