package org.elastichadoop.slots.allocation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An operator's decision for one tracker that the controller publishes instead of the policy's:
 * {@code pin} (fixed slots) or {@code drain} (none). Kept at ROOT/overrides/HOST until released.
 */
public final class OperatorOverride {
    private final String mode;
    private final int maps;
    private final int reduces;
    private final long timestampMillis;

    @JsonCreator
    public OperatorOverride(@JsonProperty(value = "mode", required = true) String mode,
                    @JsonProperty("maps") int maps,
                    @JsonProperty("reduces") int reduces,
                    @JsonProperty(value = "timestamp", required = true) long timestampMillis) {
        if (!"pin".equals(mode) && !"drain".equals(mode)) throw new InvalidAllocationException("an override is pin or drain, not " + mode);
        if (maps < 0 || maps > Allocation.MAX_SLOTS || reduces < 0 || reduces > Allocation.MAX_SLOTS) {
            throw new InvalidAllocationException("an override of " + maps + " maps, " + reduces + " reduces: each must be 0.." + Allocation.MAX_SLOTS);
        }
        if ("drain".equals(mode) && (maps != 0 || reduces != 0)) throw new InvalidAllocationException("a drain has no slots");
        this.mode = mode;
        this.maps = maps;
        this.reduces = reduces;
        this.timestampMillis = timestampMillis;
    }

    public static OperatorOverride pin(int maps, int reduces, long now) {
        return new OperatorOverride("pin", maps, reduces, now);
    }

    public static OperatorOverride drain(long now) {
        return new OperatorOverride("drain", 0, 0, now);
    }

    @JsonProperty("mode") public String mode() { return mode; }
    @JsonProperty("maps") public int maps() { return maps; }
    @JsonProperty("reduces") public int reduces() { return reduces; }
    @JsonProperty("timestamp") public long timestampMillis() { return timestampMillis; }

    public String describe() {
        return "drain".equals(mode) ? "drained by slotctl" : "pinned by slotctl to " + maps + " maps, " + reduces + " reduces";
    }
}
