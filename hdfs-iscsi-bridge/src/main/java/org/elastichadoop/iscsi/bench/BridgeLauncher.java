package org.elastichadoop.iscsi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elastichadoop.kv.procs.Program;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * Starts our target, {@code --bridge-cmd} (bin/iscsi-bridge unless told otherwise) in its quick form, through the
 * process fixture: in a session of its own, like tgtd, so that with the kernel's scheduler autogroups no target
 * shares a CPU group with the initiator tools, which run in the benchmark's session.
 */
final class BridgeLauncher {
    private final BenchConfig cfg;
    private final CommandLog commands;

    BridgeLauncher(BenchConfig cfg, CommandLog commands) {
        this.cfg = cfg;
        this.commands = commands;
    }

    /** Starts {@code --bridge-cmd ARGS --iqn IQN --port PORT --portal 127.0.0.1 --status off}; waits until it accepts connections. */
    RunningProgram start(String key, String name, List<String> args, String iqn, int port, Path log) throws Exception {
        return start(key, name, args, Map.of(), iqn, port, log);
    }

    /** {@link #start(String, String, List, String, int, Path)} with {@code env} added (e.g. HADOOP_CONF_DIR). */
    RunningProgram start(String key, String name, List<String> args, Map<String, String> env, String iqn, int port, Path log)
            throws Exception {
        List<String> cmd = new ArrayList<>(cfg.bridgeCmd());
        cmd.addAll(args);
        cmd.addAll(List.of("--iqn", iqn, "--port", Integer.toString(port), "--portal", BenchConfig.HOST, "--status", "off"));
        Map<String, String> recorded = new java.util.LinkedHashMap<>(env);
        recorded.put("BRIDGE_JAVA_OPTS", bridgeJavaOpts());
        commands.record(key + " start", recorded, cmd);
        Progress.log(key + ": starting " + CommandLog.quoted(cmd) + " (log " + log + ")");
        RunningProgram bridge = Program.of(name, cmd, log).env(cfg.bridgeEnv()).env(env).ownSession().freshLog().start();
        try {
            bridge.await("it accepted iSCSI connections on " + BenchConfig.HOST + ":" + port, cfg.startTimeout(), () -> Loads.portalUp(port));
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
        return bridge;
    }

    /** Our targets' JVM options as they get them: --java-opts, or the inherited BRIDGE_JAVA_OPTS. */
    String bridgeJavaOpts() {
        return cfg.bridgeEnv().getOrDefault("BRIDGE_JAVA_OPTS", System.getenv().getOrDefault("BRIDGE_JAVA_OPTS", ""));
    }
}
