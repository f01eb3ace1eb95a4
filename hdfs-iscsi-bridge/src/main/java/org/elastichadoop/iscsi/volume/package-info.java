/**
 * Block volumes as the SCSI layer serves them. {@link BlockVolume} is the interface (fixed-size blocks by LBA, safe for
 * concurrent calls); {@link FileVolume} keeps one in a local file, thin where the file system can punch holes
 * ({@code LibC} reaches fallocate, lseek and preadv2 through JNA), and {@link MemoryVolume} in memory for tests.
 * {@link FileSpan} is a range of a volume's file that the transport can send with sendfile.
 *
 * <p>Uses no other package of ours; {@code iscsi.scsi}, {@code iscsi.volume.log}, {@code iscsi.bridge} and the
 * transport build on it, and nothing here may use them.
 */
package org.elastichadoop.iscsi.volume;
