/**
 * Where a host's CPU figures come from: {@link HostCpuSource}, read once per poll, with {@link ProcStatSource}
 * ({@code /proc/stat}, as a guest or on the host), {@link PrometheusSource} (a node_exporter), {@link PressureSource}
 * (Linux PSI), {@link VirshSource} (libvirt on a KVM host), and {@link RecordedSamples} with {@link ReplaySource} for
 * recorded figures. {@link CpuCounters} parses a {@code /proc/stat}.
 *
 * <p>Uses only {@code slots.policy} ({@code HostFigures}); the controller and slotctl use the sources, the TaskTracker
 * hook and the NodeManager service {@code CpuCounters}. {@code CpuCounters} goes into the NodeManager's jar alone, so
 * it must use nothing else of ours.
 */
package org.elastichadoop.slots.source;
