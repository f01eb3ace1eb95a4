/**
 * Deciding one key among its replicas. {@link Proposer} decides a put (single-decree Paxos with a fast first round),
 * {@link Reader} reads a key (finishing, through the proposer, a put left half-way), {@link Tombstones} deletes;
 * {@link Choice} is their quorum arithmetic (pure), and {@code Gather} sends one request to each replica and completes
 * once the answers settle the question. A {@link Replica} is this node's own store or a {@link RemoteReplica} over the
 * wire, gathered per key in a {@link ReplicaSet}.
 *
 * <p>Uses {@code kv.wire} (answers are protocol responses), {@code kv.storage} (only {@code Ballots}), and
 * {@code kv.net} and {@code kv.cluster} (only for {@code RemoteReplica}); {@code kv.node} uses it, never the reverse.
 */
package org.elastichadoop.kv.consensus;
