/**
 * The store's Java API. {@link KvClient} puts, gets (whole values, or a {@link ValueRange} of one) and deletes entries
 * asynchronously: each request goes to the first live node among its key's replicas, which coordinates it, and to the
 * next one when that node fails; {@code connect} follows the cluster in ZooKeeper for a long-lived process,
 * {@code once} reads it once for a short command.
 * {@link KvException} is a request the cluster refused or could not serve, with its status.
 *
 * <p>Uses {@code kv.cluster}, {@code kv.net}, {@code kv.wire} and {@code kv.concurrent}, never {@code kv.node} or
 * {@code kv.consensus}, which run inside a node. Only {@code kv.cli} and, in the bridge, the {@code iscsi.store}
 * adapter use it.
 */
package org.elastichadoop.kv.client;
