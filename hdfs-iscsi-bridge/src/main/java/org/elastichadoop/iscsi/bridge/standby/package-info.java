/**
 * Log-volume LUNs served by whichever bridge is the volume's elected writer, the others standing by.
 *
 * <ul>
 *   <li>{@link org.elastichadoop.iscsi.bridge.standby.VolumeLun} is what the bridge starts per LUN: it
 *       joins the volume's writer election (a Curator leader latch) and owns the LUN's threads.</li>
 *   <li>{@code LunRoles} is the role machine (standby, opening, active, suspended, closed): every change of
 *       role goes through {@code RoleState.transition}, against the table of allowed changes. It has no
 *       Curator or ZooKeeper import, so it is tested without ZooKeeper; {@code RoleEvents} turns
 *       Curator's connection states and latch callbacks into its events.</li>
 *   <li>{@code WriterVolume} carries out what the machine decides to the volume and the SCSI unit;
 *       {@code FenceAwareVolume} reports a write refused by the epoch check, {@code StandbyVolume} answers
 *       for a volume not served here, {@code WriterId} names a bridge in the election.</li>
 * </ul>
 *
 * <p>May use {@code iscsi.scsi}, {@code iscsi.volume} and {@code iscsi.volume.log} (below it), Netty's buffers, Curator
 * and log4j; nothing from {@code iscsi.bridge} above it, and nothing below may use it. Of this package, only
 * {@code VolumeLun} and {@code RoleEvents} use Curator.
 */
package org.elastichadoop.iscsi.bridge.standby;
