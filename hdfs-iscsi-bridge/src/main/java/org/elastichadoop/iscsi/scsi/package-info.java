/**
 * The SCSI layer of the iSCSI target: SPC-4 and SBC-3 commands over a
 * {@link org.elastichadoop.iscsi.volume.BlockVolume}.
 *
 * <h2>Walking the code</h2>
 * <ol>
 *   <li>{@link org.elastichadoop.iscsi.scsi.ScsiTarget} is what the transport calls: it routes a
 *       {@link org.elastichadoop.iscsi.scsi.ScsiCommand} to the logical unit of its LUN, answers
 *       REPORT LUNS itself and stands in for missing LUNs.</li>
 *   <li>{@link org.elastichadoop.iscsi.scsi.BlockDevice} is a logical unit. Its {@code execute}
 *       delivers pending unit attentions ({@link org.elastichadoop.iscsi.scsi.UnitAttentions}),
 *       looks the CDB up in the {@link org.elastichadoop.iscsi.scsi.CommandTable}, applies
 *       reservation conflicts ({@code reservation.Reservations}) and write protection, then runs
 *       the command: inline when it only reads state, on the I/O executor when it touches the
 *       volume. Failures become sense data ({@link org.elastichadoop.iscsi.scsi.Sense}).</li>
 *   <li>{@link org.elastichadoop.iscsi.scsi.StandardCommands} lists every command; each lives in
 *       its own class in {@code scsi.command} (e.g. {@code Read} handles READ 6/10/12/16) with a
 *       {@code register} method that adds its opcodes, CDB usage masks and reservation class to
 *       the table.</li>
 *   <li>A command reads its CDB with {@link org.elastichadoop.iscsi.scsi.Cdb}, fails by throwing
 *       {@link org.elastichadoop.iscsi.scsi.ScsiException}, and builds data-in through
 *       {@link org.elastichadoop.iscsi.scsi.Task}, which also records the transfer length the
 *       transport needs for residuals.</li>
 * </ol>
 */
package org.elastichadoop.iscsi.scsi;
