/**
 * The on-disk engine of one node: {@link LogStore}, an immutable key-value store in append-only segment files with an
 * in-memory index, group commit, O_DIRECT tail writes where the file system allows them, recovery and compaction, set
 * up with {@link StoreOptions}. Its records also hold a replica's consensus state ({@link AcceptorState},
 * {@link Ballots}); {@link StoreException} is the base of its errors about its own state or data. Its parts
 * ({@code Appender}, {@code GroupCommitter}, {@code Recovery}, {@code Compactor}, {@code Segment}, {@code KeyIndex})
 * are package-private.
 *
 * <p>Uses no other package of ours; {@code kv.node}, {@code kv.consensus} (ballots) and {@code kv.cli} (options) use
 * it.
 */
package org.elastichadoop.kv.storage;
