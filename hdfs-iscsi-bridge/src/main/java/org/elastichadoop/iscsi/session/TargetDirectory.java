package org.elastichadoop.iscsi.session;

import java.net.InetSocketAddress;
import java.util.Collection;

/** The targets a portal serves, for login lookups and SendTargets. */
public interface TargetDirectory {

    ExportedTarget find(String name);

    Collection<ExportedTarget> all();

    /** Discovery sessions: credentials an initiator must prove before SendTargets (null: none). */
    AccessPolicy discoveryAccess();

    /** The portal group tag of this portal. */
    int portalGroupTag();

    /** The address initiators should use, for TargetAddress; {@code local} is the connection's own end. */
    String advertisedAddress(InetSocketAddress local);
}
