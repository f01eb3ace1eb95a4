/**
 * Where log-structured volumes keep their entries. {@link ImmutableStore} is the contract (put-if-absent, get, delete,
 * all asynchronous), {@link KvImmutableStore} implements it on a zk-kv-store cluster and {@link MemoryStore} in memory
 * for tests; {@link StoreException} is every failure, with a reason.
 *
 * <p>An adapter: {@code KvImmutableStore} is the only class that uses zk-kv-store's client ({@code kv.client}, and
 * {@code kv.concurrent} to unwrap its failures), so the KV store's exceptions never reach the volume code.
 * {@code iscsi.volume.log}, {@code iscsi.bridge} and {@code iscsi.cli} use it; it uses nothing of the bridge's.
 */
package org.elastichadoop.iscsi.store;
