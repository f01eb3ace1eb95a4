package org.elastichadoop.slots.yarn.capacity;

import static org.junit.Assert.assertEquals;

import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.junit.Test;

/** Allocations into NodeManager resources: vcores per slot, memory scaled in steps or kept, the TTL. */
public class CapacityRuleTest {
    private static final NodeResources CONFIGURED = new NodeResources(8, 16384);
    private static final long NOW = 1_000_000;

    private static ControllerConfig.Yarn settings(String memory, int vcoresPerSlot) {
        ControllerConfig.Yarn y = new ControllerConfig.Yarn();
        y.memory = memory;
        y.vcoresPerSlot = vcoresPerSlot;
        y.memoryStepMb = 1024;
        y.ttlSeconds = 120;
        return y;
    }

    private static Allocation allocation(int maps, int reduces, long at) {
        return new Allocation("nm1", maps, reduces, 1, at, "test");
    }

    @Test
    public void vcoresFollowTheSlotsAndMemoryScalesInSteps() {
        CapacityRule rule = new CapacityRule(settings("scale", 1));
        assertEquals(new NodeResources(3, 6144), rule.target(allocation(2, 1, NOW), CONFIGURED, NOW));
        assertEquals(new NodeResources(8, 16384), rule.target(allocation(6, 2, NOW), CONFIGURED, NOW));
        // 16384 x 5 / 8 = 10240: a whole number of steps already
        assertEquals(new NodeResources(5, 10240), rule.target(allocation(4, 1, NOW), CONFIGURED, NOW));
        // more slots than the node's vcores: vcores grow, memory stays at what the node has
        assertEquals(new NodeResources(12, 16384), rule.target(allocation(10, 2, NOW), CONFIGURED, NOW));
        // drained: nothing fits
        assertEquals(new NodeResources(0, 0), rule.target(allocation(0, 0, NOW), CONFIGURED, NOW));
    }

    @Test
    public void memoryIsNeverBelowOneStepAndRoundsDown() {
        CapacityRule rule = new CapacityRule(settings("scale", 1));
        NodeResources odd = new NodeResources(3, 5000);
        // 5000 x 1 / 3 = 1666 -> 1024; 5000 x 2 / 3 = 3333 -> 3072
        assertEquals(new NodeResources(1, 1024), rule.target(allocation(1, 0, NOW), odd, NOW));
        assertEquals(new NodeResources(2, 3072), rule.target(allocation(1, 1, NOW), odd, NOW));
    }

    @Test
    public void keepLeavesMemoryAndVcoresPerSlotMultiplies() {
        CapacityRule rule = new CapacityRule(settings("keep", 2));
        assertEquals(new NodeResources(6, 16384), rule.target(allocation(2, 1, NOW), CONFIGURED, NOW));
    }

    @Test
    public void aStaleOrMissingAllocationGivesTheConfiguredResourcesBack() {
        CapacityRule rule = new CapacityRule(settings("scale", 1));
        assertEquals(CONFIGURED, rule.target(null, CONFIGURED, NOW));
        assertEquals(new NodeResources(1, 2048), rule.target(allocation(1, 0, NOW - 120_000), CONFIGURED, NOW));
        assertEquals(CONFIGURED, rule.target(allocation(1, 0, NOW - 120_001), CONFIGURED, NOW));
    }
}
