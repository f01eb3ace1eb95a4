/**
 * A running bridge. {@link IscsiBridge} builds the volumes, logical units and targets of a {@link BridgeConfig} (YAML,
 * read by {@link ConfigLoader}), and starts {@code IscsiPortal} (the Netty server: each connection begins in the login
 * phase and moves to the full feature phase) and {@code StatusServer} ({@code /status} and {@code /metrics}).
 * Log-volume LUNs are handed to {@code bridge.standby}.
 *
 * <p>The top of the module below {@code iscsi.cli}, which alone uses it: it may use every other package here
 * ({@code session}, {@code login}, {@code fullfeature}, {@code wire}, {@code scsi}, {@code volume}, {@code volume.log},
 * {@code store}, {@code bridge.standby}) and {@code kv.cluster} to open the ZooKeeper client; nothing below may use it.
 */
package org.elastichadoop.iscsi.bridge;
