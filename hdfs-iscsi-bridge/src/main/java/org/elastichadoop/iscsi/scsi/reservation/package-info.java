/**
 * Reservations of one logical unit. {@link Reservations} keeps the SPC-2 RESERVE/RELEASE holder and the SPC-3/4
 * persistent reservations (registrations per I_T nexus, the reservation, the PR generation); {@link Access} is how a
 * command is treated under another nexus's reservation, {@link PrType} the persistent reservation types.
 *
 * <p>Uses {@code iscsi.scsi} (CDB, nexus, sense, unit attentions), which uses it back: {@code BlockDevice} holds the
 * unit's reservations and the command table records each command's {@code Access}. The commands in
 * {@code iscsi.scsi.command} use it too.
 */
package org.elastichadoop.iscsi.scsi.reservation;
