package org.elastichadoop.iscsi.session;

import org.elastichadoop.iscsi.scsi.ScsiTarget;

/** A target as initiators see it: its iSCSI name, alias, access rules and logical units. */
public record ExportedTarget(String name, String alias, AccessPolicy access, ScsiTarget scsi) {}
