/**
 * Log-structured volumes over an {@link org.elastichadoop.iscsi.store.ImmutableStore}. {@link LogVolume} is a block
 * volume that only wires its stages together: {@code Recovery} (open: new epoch, checkpoint, replay),
 * {@code SegmentWriter} and {@code SegmentUploader} (writes gathered into segments and stored), {@code ReadPath}, and
 * {@code Checkpointer}, {@code MapMerger} and {@code Compactor} run by {@code Maintenance}. A {@link VolumeCatalog}
 * ({@link ZkVolumeCatalog}, or {@link MemoryVolumeCatalog} for tests) holds each {@link VolumeRecord}, changed only by
 * compare-and-set; {@link LogVolumes} creates, grows and deletes volumes.
 *
 * <p>Uses {@code iscsi.volume}, {@code iscsi.store}, {@code iscsi.volume.log.map}, and from zk-kv-store
 * {@code kv.concurrent} ({@code Futures}) and {@code kv.cluster} (only {@code ZkVolumeCatalog}, to open its ZooKeeper
 * client). It never uses the SCSI, transport or bridge packages; {@code iscsi.bridge}, {@code iscsi.bridge.standby} and
 * {@code iscsi.cli} use it.
 */
package org.elastichadoop.iscsi.volume.log;
