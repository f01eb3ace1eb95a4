/**
 * The NodeManager side, in its own shaded jar: {@link ElasticSlotsAuxService}, an auxiliary service that reports its
 * node at ROOT/reports/NAME (containers running, the host's CPU, and Hadoop's own use measured by
 * {@link ProcessTreeCpu} over the NodeManager's process tree), and that idles rather than fail the NodeManager;
 * {@code NodeManagerSettings} are its yarn-site.xml keys.
 *
 * <p>Uses only {@code slots.allocation}, {@code slots.zk} and {@code slots.source.CpuCounters}, all that its jar
 * carries; nothing depends on it.
 */
package org.elastichadoop.slots.yarn.nodemanager;
