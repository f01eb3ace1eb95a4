package org.elastichadoop.iscsi.bridge;

import org.elastichadoop.iscsi.session.AccessPolicy;
import org.elastichadoop.iscsi.session.ExportedTarget;
import org.elastichadoop.iscsi.session.TargetDirectory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured targets of one portal. */
final class Targets implements TargetDirectory {
    private final Map<String, ExportedTarget> byName = new LinkedHashMap<>();
    private final AccessPolicy discovery;
    private final int portalGroupTag;
    private final String advertisedAddress;

    Targets(List<ExportedTarget> targets, AccessPolicy discovery, int portalGroupTag, String advertisedAddress) {
        for (ExportedTarget t : targets) byName.put(t.name(), t);
        this.discovery = discovery;
        this.portalGroupTag = portalGroupTag;
        this.advertisedAddress = advertisedAddress;
    }

    @Override
    public ExportedTarget find(String name) {
        return byName.get(name);
    }

    @Override
    public Collection<ExportedTarget> all() {
        return byName.values();
    }

    @Override
    public AccessPolicy discoveryAccess() {
        return discovery;
    }

    @Override
    public int portalGroupTag() {
        return portalGroupTag;
    }

    @Override
    public String advertisedAddress(InetSocketAddress local) {
        if (advertisedAddress != null) return advertisedAddress;
        String host = local.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return host + ":" + local.getPort();
    }
}
