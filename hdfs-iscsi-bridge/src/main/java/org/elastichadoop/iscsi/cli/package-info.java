/**
 * The bridge's command lines (picocli): {@link IscsiBridgeCommand} ({@code iscsi-bridge}: serve the targets of a
 * configuration file, one file-backed LUN, or a log volume), {@code StatusCommand} ({@code iscsi-bridge status}) and
 * {@code VolumeCommand} ({@code iscsi-bridge volume}: create, list, resize and delete log volumes). {@code Cli} prints
 * a mistake the user can fix as one line.
 *
 * <p>Uses {@code iscsi.bridge}, {@code iscsi.volume.log} and {@code iscsi.store}; nothing depends on it.
 */
package org.elastichadoop.iscsi.cli;
