/**
 * The TaskTracker side, behind {@code org.apache.hadoop.mapred.ElasticSlotsInstrumentation}: {@link SlotActivator}
 * follows this node's allocation and sets the running tracker's map and reduce slots (never above its configured
 * maxima, the fallback without a fresh allocation), on one thread, and writes the node's {@code TrackerReport} on
 * another.
 *
 * <p>Uses {@code slots.scheduler} (the follower and settings), {@code slots.allocation} and {@code slots.source}
 * ({@code CpuCounters}); only {@code org.apache.hadoop.mapred} uses it. Like the scheduler, it must not use
 * {@code slots.controller} or {@code slots.cli}.
 */
package org.elastichadoop.slots.tracker;
