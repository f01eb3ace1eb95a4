/**
 * A storage node. {@link KvNode} starts and stops it from a {@link NodeConfig}: its store, the protocol server
 * ({@code RequestHandler}), its place in ZooKeeper. {@code Coordinator} runs client requests through
 * {@code kv.consensus}; {@code Acceptor} and {@code LocalStore} answer for this node's own copy; {@code HintLog} and
 * {@code HintedHandoff} deliver copies owed to nodes that were away, {@code AntiEntropy} restores missing replicas and
 * {@code RingKeeper} carries out ring changes.
 *
 * <p>Uses {@code kv.consensus}, {@code kv.storage}, {@code kv.cluster}, {@code kv.net}, {@code kv.wire},
 * {@code kv.metrics} and {@code kv.concurrent}; only {@code kv.cli} uses it.
 */
package org.elastichadoop.kv.node;
