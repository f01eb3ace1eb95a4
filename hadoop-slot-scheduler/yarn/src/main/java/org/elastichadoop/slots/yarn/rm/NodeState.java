package org.elastichadoop.slots.yarn.rm;

import org.elastichadoop.slots.yarn.capacity.NodeResources;

/** One running NodeManager as the ResourceManager sees it: its id, the resources it schedules by, what runs there. */
public final class NodeState {
    public final String nodeId;
    public final String host;
    public final NodeResources capability;
    public final NodeResources used;
    public final int containers;

    public NodeState(String nodeId, String host, NodeResources capability, NodeResources used, int containers) {
        this.nodeId = nodeId;
        this.host = host;
        this.capability = capability;
        this.used = used;
        this.containers = containers;
    }

    @Override
    public String toString() {
        return nodeId + " (" + capability + ", " + containers + " containers)";
    }
}
