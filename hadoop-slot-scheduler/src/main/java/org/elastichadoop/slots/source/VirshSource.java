package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU figures of a KVM host through libvirt's {@code virsh}: the host's CPUs ({@code nodeinfo}), its
 * busy time ({@code nodecpustats}: user + system of user + system + idle + iowait), and the CPU time
 * of the domains that are Hadoop's ({@code cpu-stats DOMAIN --total}); others = host busy - those
 * domains' CPU.
 */
public final class VirshSource implements HostCpuSource {
    private static final Pattern NODE_FIELD = Pattern.compile("^\\s*(user|system|idle|iowait):\\s+(\\d+)\\s*$");
    private static final Pattern CPUS = Pattern.compile("^CPU\\(s\\):\\s+(\\d+)\\s*$");
    private static final Pattern CPU_TIME = Pattern.compile("^\\s*cpu_time\\s+([0-9.]+)\\s+seconds\\s*$");

    private final String uri;
    private final String host;
    private final List<String> hadoopDomains;
    private final long timeoutMillis;
    private final LongSupplier clock;
    private int cpus;
    private long[] previousNode;
    private double previousDomainSeconds;
    private long previousNanos;

    public VirshSource(String uri, String host, List<String> hadoopDomains, long timeoutMillis, LongSupplier clock) {
        this.uri = uri;
        this.host = host;
        this.hadoopDomains = new ArrayList<>(hadoopDomains);
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
    }

    @Override
    public Optional<HostFigures> read() throws IOException {
        if (cpus == 0) cpus = parseCpus(virsh("nodeinfo"));
        long[] node = parseNode(virsh("nodecpustats"));
        double domainSeconds = 0;
        for (String d : hadoopDomains) domainSeconds += parseCpuTime(virsh("cpu-stats", d, "--total"), d);
        long nanos = System.nanoTime();
        long[] beforeNode = previousNode;
        double beforeDomains = previousDomainSeconds;
        long beforeNanos = previousNanos;
        previousNode = node;
        previousDomainSeconds = domainSeconds;
        previousNanos = nanos;
        if (beforeNode == null) return Optional.empty();
        double total = (node[0] + node[1] + node[2] + node[3]) - (beforeNode[0] + beforeNode[1] + beforeNode[2] + beforeNode[3]);
        double busy = (node[0] + node[1]) - (beforeNode[0] + beforeNode[1]);
        double hadoopSeconds = domainSeconds - beforeDomains;
        if (total <= 0 || busy < 0 || hadoopSeconds < 0 || nanos <= beforeNanos) return Optional.empty(); // no time passed, or a restart
        double busyCores = busy / total * cpus;
        double hadoopCores = hadoopSeconds / ((nanos - beforeNanos) / 1e9);
        return Optional.of(new HostFigures(host, clock.getAsLong(), cpus, Math.max(0, busyCores - hadoopCores)));
    }

    int cpus() {
        return cpus;
    }

    private String virsh(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("virsh");
        cmd.add("-c");
        cmd.add(uri);
        for (String a : args) cmd.add(a);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not answer within " + timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", cmd));
        }
        String out = readAll(p.getInputStream());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.trim());
        return out;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) b.write(buf, 0, n);
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    static int parseCpus(String nodeinfo) throws IOException {
        for (String line : nodeinfo.split("\n")) {
            Matcher m = CPUS.matcher(line);
            if (m.matches()) return Integer.parseInt(m.group(1));
        }
        throw new IOException("virsh nodeinfo gave no 'CPU(s):' line");
    }

    /** user, system, idle, iowait in nanoseconds. */
    static long[] parseNode(String nodecpustats) throws IOException {
        long[] v = {-1, -1, -1, -1};
        for (String line : nodecpustats.split("\n")) {
            Matcher m = NODE_FIELD.matcher(line);
            if (!m.matches()) continue;
            int i = m.group(1).equals("user") ? 0 : m.group(1).equals("system") ? 1 : m.group(1).equals("idle") ? 2 : 3;
            v[i] = Long.parseLong(m.group(2));
        }
        for (long x : v) if (x < 0) throw new IOException("virsh nodecpustats lacks user, system, idle or iowait");
        return v;
    }

    static double parseCpuTime(String cpuStats, String domain) throws IOException {
        for (String line : cpuStats.split("\n")) {
            Matcher m = CPU_TIME.matcher(line);
            if (m.matches()) return Double.parseDouble(m.group(1));
        }
        throw new IOException("virsh cpu-stats " + domain + " --total gave no cpu_time");
    }

    @Override
    public String describe() {
        return "virsh -c " + uri + " for " + host + " (Hadoop domains " + hadoopDomains + ")";
    }
}
