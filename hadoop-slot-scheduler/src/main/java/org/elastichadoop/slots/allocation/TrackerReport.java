package org.elastichadoop.slots.allocation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a TaskTracker's hook reports about its node (ROOT/reports/HOST, an ephemeral znode that goes
 * when the tracker does): the slots it has active, the tasks it runs, and its own CPU figures
 * (from its /proc/stat: capacity, busy time, steal), in cores. A YARN NodeManager's auxiliary service
 * reports the same way, with no slots, the containers it runs, and as busy time Hadoop's own: the
 * NodeManager's and its containers' CPU.
 */
public final class TrackerReport {
    public final String host;
    public final int activeMaps;
    public final int activeReduces;
    public final int runningMaps;
    public final int runningReduces;
    public final double capacityCores;
    public final double busyCores;
    public final double stealCores;
    public final long timestampMillis;
    /** Containers running on a YARN NodeManager; null from a TaskTracker. */
    public final Integer containers;

    public TrackerReport(String host, int activeMaps, int activeReduces, int runningMaps, int runningReduces,
                         double capacityCores, double busyCores, double stealCores, long timestampMillis) {
        this(host, activeMaps, activeReduces, runningMaps, runningReduces, capacityCores, busyCores, stealCores, timestampMillis, null);
    }

    @JsonCreator
    public TrackerReport(@JsonProperty(value = "host", required = true) String host,
                         @JsonProperty("activeMaps") int activeMaps,
                         @JsonProperty("activeReduces") int activeReduces,
                         @JsonProperty("runningMaps") int runningMaps,
                         @JsonProperty("runningReduces") int runningReduces,
                         @JsonProperty("capacityCores") double capacityCores,
                         @JsonProperty("busyCores") double busyCores,
                         @JsonProperty("stealCores") double stealCores,
                         @JsonProperty(value = "timestamp", required = true) long timestampMillis,
                         @JsonProperty("containers") Integer containers) {
        if (host == null || host.isEmpty()) throw new InvalidAllocationException("a report names no host");
        if (activeMaps < 0 || activeReduces < 0 || runningMaps < 0 || runningReduces < 0) {
            throw new InvalidAllocationException("report of " + host + ": negative counts");
        }
        if (containers != null && containers < 0) throw new InvalidAllocationException("report of " + host + ": negative containers");
        if (!(capacityCores >= 0) || !(busyCores >= 0) || !(stealCores >= 0) || busyCores > capacityCores + 1e-6) {
            throw new InvalidAllocationException("report of " + host + ": CPU figures out of range");
        }
        this.host = host;
        this.activeMaps = activeMaps;
        this.activeReduces = activeReduces;
        this.runningMaps = runningMaps;
        this.runningReduces = runningReduces;
        this.capacityCores = capacityCores;
        this.busyCores = busyCores;
        this.stealCores = stealCores;
        this.timestampMillis = timestampMillis;
        this.containers = containers;
    }

    @JsonProperty("host") public String host() { return host; }
    @JsonProperty("activeMaps") public int activeMaps() { return activeMaps; }
    @JsonProperty("activeReduces") public int activeReduces() { return activeReduces; }
    @JsonProperty("runningMaps") public int runningMaps() { return runningMaps; }
    @JsonProperty("runningReduces") public int runningReduces() { return runningReduces; }
    @JsonProperty("capacityCores") public double capacityCores() { return capacityCores; }
    @JsonProperty("busyCores") public double busyCores() { return busyCores; }
    @JsonProperty("stealCores") public double stealCores() { return stealCores; }
    @JsonProperty("timestamp") public long timestampMillis() { return timestampMillis; }
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonProperty("containers") public Integer containers() { return containers; }
}
