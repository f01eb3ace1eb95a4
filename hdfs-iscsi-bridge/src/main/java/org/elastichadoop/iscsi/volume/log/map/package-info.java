/**
 * The LBA map of a log volume: which segment holds each block. {@link LbaMap} is a log-structured merge tree: a
 * memtable of the writes since the last checkpoint, and sorted runs of immutable pages kept in the volume's store
 * ({@link PageStore}) and read through a cache, merged in the background by {@code MergePolicy} and {@code RunMerger}.
 * {@link MapState} is what a checkpoint keeps of it, {@link MappedRun} one run of blocks (or a hole), {@link PageIds}
 * and {@link Varints} the encodings.
 *
 * <p>Uses only {@code kv.concurrent} ({@code Futures}); its pages reach the store through {@code PageStore}, which
 * {@code iscsi.volume.log} implements. Nothing here may use {@code iscsi.volume.log}, which uses it.
 */
package org.elastichadoop.iscsi.volume.log.map;
