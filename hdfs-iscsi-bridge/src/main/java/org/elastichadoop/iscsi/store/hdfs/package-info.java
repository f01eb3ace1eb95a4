/**
 * The {@link org.elastichadoop.iscsi.store.ImmutableStore} in a Hadoop file system (HDFS): {@link
 * org.elastichadoop.iscsi.store.hdfs.HdfsStore} routes each key to its group (a volume), whose entries a
 * {@code PackSet} packs into large append-only files, one writer per group, fenced through HDFS's leases and
 * create-if-absent. Claiming a group: {@code LeaseRecovery}, then {@code PackReader} fills the {@code PackIndex}.
 * Writing: {@code GroupCommit} (the group's thread) appends through {@code OpenPack} and {@code PackWriter} in the
 * layout {@code PackFormat} defines; {@code PackCompactor} copies live entries out of sparse packs. Reading:
 * {@code PackReads}.
 *
 * <p>Uses {@code iscsi.store} and Hadoop's shaded client only; {@code iscsi.bridge} and {@code iscsi.cli} use it.
 * No other package of the bridge imports Hadoop.
 */
package org.elastichadoop.iscsi.store.hdfs;
