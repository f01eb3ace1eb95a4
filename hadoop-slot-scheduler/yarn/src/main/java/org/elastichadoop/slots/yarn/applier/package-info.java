/**
 * The {@code slotctl yarn} service: {@link YarnApplier}, under its own leader latch, compares every running
 * NodeManager's resources at the ResourceManager with what its allocation asks for and applies the differences in one
 * batched call; {@link NodeRecords} keeps per node in ZooKeeper ({@link NodeRecord}) its own resources and what was
 * applied.
 *
 * <p>Uses {@code slots.yarn.capacity}, {@code slots.yarn.rm}, {@code slots.controller} (its configuration and
 * {@code LatchHolder}), {@code slots.allocation} and {@code slots.zk}; only {@code slots.yarn.cli} uses it.
 */
package org.elastichadoop.slots.yarn.applier;
