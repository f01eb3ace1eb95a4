package org.elastichadoop.slots.yarn.capacity;

import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.controller.ControllerConfig;

/**
 * Turns a node's allocation into the resources its NodeManager gets at the ResourceManager: (maps + reduces) x
 * vcoresPerSlot vcores, and memory either as configured ("keep") or scaled with the vcores from the NodeManager's
 * own ("scale"), in whole steps of memoryStepMb and never below one step nor above what the node has (none
 * at all for no vcores). A stale
 * allocation (older than the TTL) gives the configured resources back, as the JobTracker side falls back to the
 * trackers' own slots.
 */
public final class CapacityRule {
    private final ControllerConfig.Yarn settings;

    public CapacityRule(ControllerConfig.Yarn settings) {
        this.settings = settings;
    }

    /** What the node should have now: from {@code allocation} if it is fresh at {@code nowMillis}, else {@code configured}. */
    public NodeResources target(Allocation allocation, NodeResources configured, long nowMillis) {
        if (allocation == null || isStale(allocation, nowMillis)) return configured;
        int vcores = (allocation.maps() + allocation.reduces()) * settings.vcoresPerSlot;
        return new NodeResources(vcores, memoryFor(vcores, configured));
    }

    public boolean isStale(Allocation allocation, long nowMillis) {
        return allocation.ageMillis(nowMillis) > settings.ttlSeconds * 1000L;
    }

    private long memoryFor(int vcores, NodeResources configured) {
        long step = settings.memoryStepMb;
        if (vcores == 0 && "scale".equals(settings.memory)) return 0; // drained: no container fits
        if ("keep".equals(settings.memory) || configured.vcores() == 0 || configured.memoryMb() <= step) {
            return configured.memoryMb();
        }
        long scaled = configured.memoryMb() * vcores / configured.vcores();
        long stepped = Math.max(step, scaled / step * step);
        return Math.min(stepped, configured.memoryMb());
    }
}
