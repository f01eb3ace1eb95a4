package org.elastichadoop.iscsi.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Before anything starts: the tools are there, and no port the run needs is taken (nor tgt's control port). */
final class Preflight {
    private static final List<String> TOOLS = List.of("qemu-img", "iscsi-perf", "iscsi-ls", "iscsi-readcapacity16", "setsid", "df");
    private static final List<String> TGT_TOOLS = List.of("tgtd", "tgtadm");

    private Preflight() {
    }

    static void check(BenchConfig cfg) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (!onPath(tool)) missing.add(tool);
        }
        for (String tool : TGT_TOOLS) {
            if (cfg.has("tgt") && !onPath(tool)) missing.add(tool);
        }
        if (!missing.isEmpty()) {
            throw new BenchException("missing tools: " + String.join(" ", missing)
                    + " (Debian: apt-get install tgt libiscsi-bin qemu-utils qemu-block-extra)");
        }
        if (cfg.has("hdfs")) {
            try {
                HdfsVolumeTarget.check(cfg);
            } catch (java.io.IOException e) {
                throw new BenchException(e.getMessage());
            }
            if (inUse(HdfsVolumeTarget.zooKeeperPort(cfg))) {
                throw new BenchException("port " + HdfsVolumeTarget.zooKeeperPort(cfg) + " (the HDFS volume's ZooKeeper, --log-zk-port + 1) is in use; "
                        + "pick another --log-zk-port");
            }
        }
        if (cfg.has("ours") || cfg.has("log") || cfg.has("uncached") || cfg.has("hdfs")) {
            String exe = cfg.bridgeCmd().get(0);
            if (!onPath(exe) && !Files.isExecutable(Path.of(exe))) {
                throw new BenchException("cannot run our target: '" + exe + "' is not an executable (use --bridge-cmd)");
            }
        }
        if (cfg.has("tgt") && TgtTarget.controlPortAnswers(cfg.tgtControl())) {
            throw new BenchException("a tgtd already listens on control port " + cfg.tgtControl() + "; stop it or pick another with --tgt-control");
        }
        for (String t : cfg.targets()) {
            int port = switch (t) {
                case "tgt" -> cfg.tgtPort();
                case "ours" -> cfg.oursPort();
                case "log" -> cfg.logPort();
                case "hdfs" -> cfg.hdfsPort();
                default -> cfg.uncachedPort();
            };
            if (inUse(port)) {
                throw new BenchException("port " + port + " (for " + t + ") is already in use; stop what listens there or pick another with --" + t + "-port");
            }
        }
        if (cfg.has("log") || cfg.has("uncached")) {
            if (inUse(cfg.logZkPort())) {
                throw new BenchException("port " + cfg.logZkPort() + " (the log volume's ZooKeeper) is in use; pick another with --log-zk-port");
            }
            for (int i = 0; i < LogStore.NODES; i++) {
                for (int port : new int[]{cfg.logKvPort() + i, cfg.logKvPort() + 2000 + i}) {
                    if (inUse(port)) {
                        throw new BenchException("port " + port + " (a KV node of the log volume) is in use; pick others with --log-kv-port");
                    }
                }
            }
        }
    }

    private static boolean onPath(String name) {
        if (name.contains("/")) return Files.isExecutable(Path.of(name));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
        }
        return false;
    }

    /** Something listens on the port (on 127.0.0.1 or every address), or it cannot be bound on 127.0.0.1. */
    static boolean inUse(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException nobody) {
            // nothing accepts there: can we bind it?
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(BenchConfig.HOST, port));
            return false;
        } catch (IOException taken) {
            return true;
        }
    }
}
