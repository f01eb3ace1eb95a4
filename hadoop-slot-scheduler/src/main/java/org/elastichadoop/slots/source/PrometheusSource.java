package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU figures from a Prometheus node_exporter running in the TaskTracker's VM: its
 * {@code node_cpu_seconds_total{cpu="N",mode="M"}} counters, summed over the CPUs, read as a guest
 * reads /proc/stat (others = steal).
 */
public final class PrometheusSource implements HostCpuSource {
    private static final Pattern SAMPLE = Pattern.compile("^node_cpu_seconds_total\\{([^}]*)\\}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final URL url;
    private final String host;
    private final int timeoutMillis;
    private final LongSupplier clock;
    private CpuCounters previous;

    public PrometheusSource(URL url, String host, int timeoutMillis, LongSupplier clock) {
        this.url = url;
        this.host = host;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
    }

    @Override
    public Optional<HostFigures> read() throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        try {
            if (c.getResponseCode() != 200) throw new IOException(url + " answered HTTP " + c.getResponseCode());
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                CpuCounters now = parse(r, url.toString());
                double[] busyAndSteal = now.busyAndStealCoresSince(previous);
                previous = now;
                if (busyAndSteal == null) return Optional.empty(); // first reading, no time passed, or a restart
                return Optional.of(new HostFigures(host, clock.getAsLong(), now.cpus(), busyAndSteal[1]));
            }
        } finally {
            c.disconnect();
        }
    }

    /** The counters in a node_exporter text exposition, in milliseconds. */
    static CpuCounters parse(BufferedReader r, String where) throws IOException {
        Map<String, Double> byMode = new HashMap<>();
        Set<String> cpus = new HashSet<>();
        String line;
        while ((line = r.readLine()) != null) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) continue;
            String cpu = null;
            String mode = null;
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                if (l.group(1).equals("cpu")) cpu = l.group(2);
                if (l.group(1).equals("mode")) mode = l.group(2);
            }
            double v;
            try {
                v = Double.parseDouble(m.group(2));
            } catch (NumberFormatException e) {
                throw new IOException(where + ": not a number in '" + line + "'");
            }
            if (cpu == null || mode == null || !(v >= 0) || Double.isInfinite(v)) throw new IOException(where + ": bad sample '" + line + "'");
            cpus.add(cpu);
            byMode.merge(mode, v, Double::sum);
        }
        if (cpus.isEmpty()) throw new IOException(where + ": no node_cpu_seconds_total samples (is it a node_exporter with the cpu collector?)");
        return CpuCounters.of(ms(byMode, "user"), ms(byMode, "nice"), ms(byMode, "system"), ms(byMode, "idle"), ms(byMode, "iowait"),
                ms(byMode, "irq"), ms(byMode, "softirq"), ms(byMode, "steal"), cpus.size());
    }

    private static long ms(Map<String, Double> byMode, String mode) {
        Double v = byMode.get(mode);
        return v == null ? 0 : Math.round(v * 1000);
    }

    @Override
    public String describe() {
        return url + " of " + host + " (node_exporter, others = steal)";
    }
}
