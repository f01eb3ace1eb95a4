/**
 * One class per SCSI command (SPC-4, SBC-3), each a {@link org.elastichadoop.iscsi.scsi.Command} with a
 * {@code register} method that adds its opcodes, CDB usage masks and reservation class to the
 * {@link org.elastichadoop.iscsi.scsi.CommandTable}: {@link Read}, {@link Write}, {@link Inquiry}, {@link ModeSense},
 * {@link Unmap}, {@link PersistentReserveOut} and the rest. {@link Blocks} holds the decoding the block commands share
 * (LBA and length per CDB size, range checks, the advertised limits).
 *
 * <p>Uses {@code iscsi.scsi}, {@code iscsi.scsi.reservation} and {@code iscsi.volume}. The dependency is mutual:
 * {@code StandardCommands} registers every class here and {@code ScsiTarget} uses {@code Inquiry} and
 * {@code ReportLuns}.
 */
package org.elastichadoop.iscsi.scsi.command;
