/**
 * What the login and full feature phases share about sessions and targets. {@link Connection} is the sending side of a
 * connection with its StatSN and command window, {@link Session} a logged-in session, {@link SessionRegistry} every
 * live session by TSIH (reinstating one that logs in again); {@link TargetSettings} is what the target offers in
 * negotiation and {@link SessionParameters} what was negotiated. {@link ExportedTarget}, {@link AccessPolicy},
 * {@link Credentials} and {@link TargetDirectory} describe the targets a portal serves and who may log in.
 *
 * <p>Uses {@code iscsi.pdu}, {@code iscsi.wire} and {@code iscsi.scsi} (a target's logical units, the I_T nexus);
 * {@code iscsi.login}, {@code iscsi.fullfeature} and {@code iscsi.bridge} use it, never the reverse.
 */
package org.elastichadoop.iscsi.session;
