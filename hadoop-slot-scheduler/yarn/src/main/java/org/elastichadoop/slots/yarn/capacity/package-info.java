/**
 * What an allocation means on YARN: {@link CapacityRule} turns a node's allocation into the vcores and memory its
 * NodeManager gets at the ResourceManager (its own resources when the allocation is stale or missing), as
 * {@link NodeResources}.
 *
 * <p>Uses {@code slots.allocation} and {@code slots.controller} ({@code ControllerConfig}); {@code slots.yarn.rm} and
 * {@code slots.yarn.applier} use it.
 */
package org.elastichadoop.slots.yarn.capacity;
