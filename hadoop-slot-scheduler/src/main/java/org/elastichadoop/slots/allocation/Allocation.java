package org.elastichadoop.slots.allocation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The slots one TaskTracker may run, as the controller publishes them in ZooKeeper (JSON): whose,
 * how many map and reduce slots, which version of the tracker's allocation this is, when it was
 * decided, and why. The scheduler and the TaskTracker hook honour it; slotctl shows it.
 */
public final class Allocation {
    /** More slots than this on one tracker is taken for a bad value, not a big machine. */
    public static final int MAX_SLOTS = 1024;

    private final String tracker;
    private final int maps;
    private final int reduces;
    private final long version;
    private final long timestampMillis;
    private final String reason;
    private final Double capacityCores;
    private final Double othersCores;

    public Allocation(String tracker, int maps, int reduces, long version, long timestampMillis, String reason) {
        this(tracker, maps, reduces, version, timestampMillis, reason, null, null);
    }

    /** With the host figures it was decided on (none for a pin or a drain). */
    @JsonCreator
    public Allocation(@JsonProperty(value = "tracker", required = true) String tracker,
                      @JsonProperty(value = "maps", required = true) int maps,
                      @JsonProperty(value = "reduces", required = true) int reduces,
                      @JsonProperty(value = "version", required = true) long version,
                      @JsonProperty(value = "timestamp", required = true) long timestampMillis,
                      @JsonProperty("reason") String reason,
                      @JsonProperty("capacityCores") Double capacityCores,
                      @JsonProperty("othersCores") Double othersCores) {
        if (tracker == null || tracker.isEmpty()) throw new InvalidAllocationException("an allocation names no tracker");
        if (maps < 0 || maps > MAX_SLOTS || reduces < 0 || reduces > MAX_SLOTS) {
            throw new InvalidAllocationException("allocation for " + tracker + ": " + maps + " maps, " + reduces
                    + " reduces; each must be between 0 and " + MAX_SLOTS);
        }
        if (version < 0) throw new InvalidAllocationException("allocation for " + tracker + ": negative version " + version);
        if (timestampMillis <= 0) throw new InvalidAllocationException("allocation for " + tracker + ": no timestamp");
        this.tracker = tracker;
        this.maps = maps;
        this.reduces = reduces;
        this.version = version;
        this.timestampMillis = timestampMillis;
        this.reason = reason == null ? "" : reason;
        this.capacityCores = capacityCores;
        this.othersCores = othersCores;
    }

    @JsonProperty("tracker") public String tracker() { return tracker; }
    @JsonProperty("maps") public int maps() { return maps; }
    @JsonProperty("reduces") public int reduces() { return reduces; }
    @JsonProperty("version") public long version() { return version; }
    @JsonProperty("timestamp") public long timestampMillis() { return timestampMillis; }
    @JsonProperty("reason") public String reason() { return reason; }
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonProperty("capacityCores") public Double capacityCores() { return capacityCores; }
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonProperty("othersCores") public Double othersCores() { return othersCores; }

    /** Its age at {@code nowMillis}; allocations older than a TTL are not trusted. */
    public long ageMillis(long nowMillis) {
        return Math.max(0, nowMillis - timestampMillis);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Allocation)) return false;
        Allocation a = (Allocation) o;
        return tracker.equals(a.tracker) && maps == a.maps && reduces == a.reduces && version == a.version
                && timestampMillis == a.timestampMillis && reason.equals(a.reason);
    }

    @Override
    public int hashCode() {
        return tracker.hashCode() * 31 + (int) version;
    }

    @Override
    public String toString() {
        return tracker + ": " + maps + " maps, " + reduces + " reduces (v" + version + ", " + reason + ")";
    }
}
