package org.elastichadoop.slots.yarn.capacity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A NodeManager's resources as the ResourceManager schedules by them: vcores and memory. */
public final class NodeResources {
    private final int vcores;
    private final long memoryMb;

    @JsonCreator
    public NodeResources(@JsonProperty(value = "vcores", required = true) int vcores,
                         @JsonProperty(value = "memoryMb", required = true) long memoryMb) {
        if (vcores < 0 || memoryMb < 0) throw new IllegalArgumentException("negative resources: " + vcores + " vcores, " + memoryMb + " MB");
        this.vcores = vcores;
        this.memoryMb = memoryMb;
    }

    @JsonProperty("vcores") public int vcores() { return vcores; }
    @JsonProperty("memoryMb") public long memoryMb() { return memoryMb; }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeResources && ((NodeResources) o).vcores == vcores && ((NodeResources) o).memoryMb == memoryMb;
    }

    @Override
    public int hashCode() {
        return vcores * 31 + Long.hashCode(memoryMb);
    }

    @Override
    public String toString() {
        return vcores + " vcores, " + memoryMb + " MB";
    }
}
