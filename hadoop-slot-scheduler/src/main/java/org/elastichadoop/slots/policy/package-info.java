/**
 * The slot policy, pure: {@link SlotPolicy} turns a host's CPU figures ({@link HostFigures}: capacity and what other
 * workloads used, in cores) into map and reduce {@link Slots} for its tracker, step by step (Hadoop's share, smoothing,
 * split, hysteresis, step limit, bounds), with the reason; {@link PolicySettings} are its knobs.
 *
 * <p>Uses no other package of ours; {@code slots.source} produces its figures and {@code slots.controller} runs it.
 */
package org.elastichadoop.slots.policy;
