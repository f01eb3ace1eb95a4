/**
 * The full feature phase of a connection. {@link FullFeatureHandler} routes each PDU and enforces the command window;
 * {@code ScsiCommands} gathers a command's write data (immediate, unsolicited, solicited by R2T), runs it on the
 * target's logical unit and answers with Data-In or a SCSI Response; {@code TaskManagement}, {@code SendTargets} and
 * NOP-In pings take the rest. {@code VolumeFileRegion} sends a read straight from the volume's file.
 *
 * <p>Uses {@code iscsi.session}, {@code iscsi.pdu}, {@code iscsi.wire}, {@code iscsi.scsi}, {@code iscsi.volume} (only
 * {@code FileSpan}) and {@code iscsi.login} (only {@code TextKeys}); only {@code iscsi.bridge} uses it.
 */
package org.elastichadoop.iscsi.fullfeature;
