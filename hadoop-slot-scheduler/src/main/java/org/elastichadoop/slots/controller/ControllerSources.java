package org.elastichadoop.slots.controller;

import org.elastichadoop.slots.policy.HostFigures;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.source.PressureSource;
import org.elastichadoop.slots.source.ProcStatSource;
import org.elastichadoop.slots.source.PrometheusSource;
import org.elastichadoop.slots.source.VirshSource;
import org.elastichadoop.slots.source.RecordedSamples;
import org.elastichadoop.slots.source.ReplaySource;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds each tracker's counter source from the configuration (relative paths are relative to its file). */
public final class ControllerSources {
    private ControllerSources() {}

    /** Without Hadoop's own CPU: mode host is refused. */
    public static Map<String, HostCpuSource> fromConfig(ControllerConfig c, Path configFile) throws ConfigException {
        return fromConfig(c, configFile, null);
    }

    /**
     * @param hadoopCoresOf for mode host: the cores Hadoop itself uses on a host (the TaskTracker hook's
     *                      report); it throws when there is no fresh figure, and that poll skips the host
     */
    public static Map<String, HostCpuSource> fromConfig(ControllerConfig c, Path configFile,
                                                        java.util.function.ToDoubleFunction<String> hadoopCoresOf) throws ConfigException {
        Path baseDir = configFile.toAbsolutePath().getParent();
        String file = configFile.toString();
        Map<String, HostCpuSource> out = new LinkedHashMap<>();
        for (int i = 0; i < c.trackers.size(); i++) {
            ControllerConfig.Tracker t = c.trackers.get(i);
            String key = "trackers[" + i + "]";
            if ("procstat".equals(t.source)) {
                Path stat = baseDir.resolve(t.path == null ? "/proc/stat" : t.path);
                if ("host".equals(t.mode)) {
                    if (hadoopCoresOf == null) throw new ConfigException(file + ": '" + key + ".mode' host needs the TaskTracker hooks' reports");
                    String host = t.host;
                    out.put(t.host, new ProcStatSource(stat, t.host, ProcStatSource.Mode.HOST, () -> hadoopCoresOf.applyAsDouble(host),
                            System::currentTimeMillis));
                } else {
                    out.put(t.host, ProcStatSource.guest(stat, t.host));
                }
            } else if ("pressure".equals(t.source)) {
                out.put(t.host, new PressureSource(baseDir.resolve(t.path == null ? "/proc/pressure/cpu" : t.path), t.host, t.capacityCores,
                        System::currentTimeMillis));
            } else if ("libvirt".equals(t.source)) {
                out.put(t.host, new VirshSource(t.uri, t.host, t.domains, c.sourceTimeoutSeconds * 1000L, System::currentTimeMillis));
            } else if ("prometheus".equals(t.source)) {
                try {
                    out.put(t.host, new PrometheusSource(new URL(t.url), t.host, c.sourceTimeoutSeconds * 1000, System::currentTimeMillis));
                } catch (MalformedURLException e) {
                    throw new ConfigException(file + ": '" + key + ".url' " + t.url + ": " + e.getMessage());
                }
            } else {
                Path samples = baseDir.resolve(t.file);
                try {
                    List<HostFigures> recorded = RecordedSamples.load(samples);
                    out.put(t.host, new ReplaySource(t.host, recorded, samples.toString(), System::currentTimeMillis));
                } catch (IOException | IllegalArgumentException e) {
                    throw new ConfigException(file + ": '" + key + ".file': " + e.getMessage());
                }
            }
        }
        return out;
    }
}
