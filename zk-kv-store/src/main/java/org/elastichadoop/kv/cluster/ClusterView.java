package org.elastichadoop.kv.cluster;

import java.util.Collection;

/**
 * What a client needs to know of the cluster to route a request: its members, which of them are live, the ring
 * and the settings. {@link Membership} follows them as they change; {@link ClusterSnapshot} reads them once.
 */
public interface ClusterView {
    /** Every member, live or not, as it last registered. */
    Collection<NodeInfo> members();

    NodeInfo member(String id);

    Collection<NodeInfo> liveNodes();

    /** A live node's registration, or null. */
    NodeInfo node(String id);

    boolean isLive(String id);

    /** {@link Ring#NONE} before any node created the ring. */
    Ring ring();

    Settings settings();
}
