/**
 * The controller daemon. {@link Controller} polls each tracker's counter source (with a timeout), runs the policy and
 * publishes allocations while it holds the controllers' leader latch; {@link ControllerConfig} is its YAML
 * configuration, read and checked by {@link ConfigLoader}, {@link ControllerSources} builds each tracker's source from
 * it, and {@link PolicyJson} reads the policy set in ZooKeeper. {@link LatchHolder} names who holds a latch.
 *
 * <p>Uses {@code slots.source}, {@code slots.policy}, {@code slots.allocation} and {@code slots.zk}. It runs on its own
 * class path, left out of the Hadoop jar, so nothing that goes into that jar (allocation, policy, source, zk,
 * scheduler, tracker) may use it; slotctl, the benchmark and the YARN packages do.
 */
package org.elastichadoop.slots.controller;
