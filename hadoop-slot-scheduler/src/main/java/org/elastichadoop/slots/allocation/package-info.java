/**
 * What the controller decides and the Hadoop side honours, as JSON in ZooKeeper: {@link Allocation} (a tracker's map
 * and reduce slots, with version, time and reason) and its {@link AllocationCodec}, {@link OperatorOverride} (an
 * operator's pin or drain), {@link TrackerReport} (what a TaskTracker's hook or a NodeManager reports of its node).
 * {@link StrictJson} is the one way these znodes are read, so that anything malformed is refused as an
 * {@link InvalidAllocationException}.
 *
 * <p>Uses no other package of ours; the zk store, the controller, the JobTracker and TaskTracker sides, slotctl and the
 * YARN packages use it.
 */
package org.elastichadoop.slots.allocation;
