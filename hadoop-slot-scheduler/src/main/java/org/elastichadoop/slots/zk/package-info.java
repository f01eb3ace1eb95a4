/**
 * Elastic slots in ZooKeeper: {@link SlotPaths} names the znodes under a cluster's root (allocations, the controllers'
 * latch, overrides, policy, reports), {@link AllocationStore} reads and writes them as JSON, and {@link Znodes} holds
 * the writes the stores share.
 *
 * <p>Uses only {@code slots.allocation}; the controller, scheduler, slotctl, the benchmark and the YARN packages use
 * it. It goes into both Hadoop jars, so it must not use anything else of ours.
 */
package org.elastichadoop.slots.zk;
