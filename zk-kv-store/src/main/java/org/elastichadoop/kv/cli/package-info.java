/**
 * The store's programs: {@link KvNodeCommand} (bin/kvnode, one storage node), {@link KvCtl} (bin/kvctl: entries,
 * cluster status, settings and members; {@code QuickArgs} recognises its everyday command lines without building
 * picocli's model), {@link ZooKeeperCommand} (bin/zookeeper, a standalone server for one machine) and {@link KvBench}
 * (bin/kv-bench). {@code Cli} is what they share: a mistake the user can fix prints one line, and {@code --config FILE}
 * supplies option defaults.
 *
 * <p>The top of the module: it may use any other package of it ({@code kv.client}, {@code kv.node}, {@code kv.cluster},
 * {@code kv.storage} for the node's options, {@code kv.wire}, {@code kv.metrics}, {@code kv.concurrent}, and
 * {@code kv.procs} for the benchmark); nothing depends on it.
 */
package org.elastichadoop.kv.cli;
