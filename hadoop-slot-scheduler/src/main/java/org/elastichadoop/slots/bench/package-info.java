/**
 * The elastic-slots benchmark (bin/slots-bench): {@link SlotsBench} times what the scheduler wrapper adds to a
 * heartbeat over simulated trackers ({@link org.apache.hadoop.mapred.BenchTrackers}), and how long a change of a host's
 * counters takes to become the allocation in effect at the JobTracker side.
 *
 * <p>Uses {@code slots.controller}, {@code slots.scheduler}, {@code slots.zk}, {@code slots.source},
 * {@code slots.policy}, {@code slots.allocation} and {@code BenchTrackers}; nothing depends on it, and it is left out
 * of the Hadoop jar.
 */
package org.elastichadoop.slots.bench;
