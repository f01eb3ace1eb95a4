package org.elastichadoop.iscsi.bridge.standby;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Who a participant in a volume's writer election is: stored as the latch node's id, shown in logs
 * and {@code iscsi-bridge status}, e.g. {@code host=db7 pid=4242 portal=0.0.0.0:3260 ns=pid:[4026531836] run=1f2e3d4c}.
 *
 * @param host         the bridge's host name
 * @param pid          its process id
 * @param pidNamespace its PID namespace ({@code /proc/self/ns/pid}), so that containers on one host are told apart
 * @param portal       the portal it serves
 * @param run          random per bridge instance (several bridges may run in one JVM, e.g. in tests)
 */
public record WriterId(String host, long pid, String pidNamespace, String portal, String run) {

    private static final String THIS_HOST = readHostName();
    private static final String THIS_NAMESPACE = readPidNamespace();

    public static WriterId ofThisProcess(String portal) {
        return new WriterId(THIS_HOST, ProcessHandle.current().pid(), THIS_NAMESPACE, portal,
                UUID.randomUUID().toString().substring(0, 8));
    }

    /** Parses {@link #toString()}; null if {@code id} is not one (e.g. written by something else). */
    public static WriterId parse(String id) {
        if (id == null) return null;
        Map<String, String> kv = new HashMap<>();
        for (String part : id.trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        try {
            return new WriterId(kv.get("host"), Long.parseLong(kv.get("pid")), kv.get("ns"), kv.get("portal"), kv.get("run"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether this participant was a process on this host (same PID namespace) that no longer
     * runs: a bridge killed without closing its ZooKeeper session, whose latch node lingers until
     * the session expires.
     */
    public boolean isGoneFromThisHost() {
        if (!THIS_HOST.equals(host) || THIS_NAMESPACE.equals("?") || !THIS_NAMESPACE.equals(pidNamespace)) return false;
        if (pid == ProcessHandle.current().pid()) return false; // another bridge in this very JVM
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** For log lines: "the bridge on db7 (pid 4242, portal 0.0.0.0:3260)". */
    public String describe() {
        return "the bridge on " + host + " (pid " + pid + ", portal " + portal + ")";
    }

    @Override
    public String toString() {
        return "host=" + host + " pid=" + pid + " portal=" + portal + " ns=" + pidNamespace + " run=" + run;
    }

    private static String readHostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env.replace(' ', '_');
        }
    }

    private static String readPidNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString().replace(' ', '_');
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "?";
        }
    }
}
