/**
 * The cluster as ZooKeeper records it. {@link ClusterView} is what routing needs (members, live nodes, {@link Ring},
 * {@link Settings}): {@link Membership} follows it with Curator and registers a node's live znode,
 * {@link ClusterSnapshot} reads it once for a short command. {@link Placement} gives a key's preference list
 * (rendezvous hashing); {@link ZkPaths} names the znodes, and {@link Zk} opens a Curator client with an error a person
 * can act on.
 *
 * <p>Uses no other package of ours, only Curator, ZooKeeper and Jackson; the client, consensus, node and command
 * packages (and the bridge) build on it.
 */
package org.elastichadoop.kv.cluster;
