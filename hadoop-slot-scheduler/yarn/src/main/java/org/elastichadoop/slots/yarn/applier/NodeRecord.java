package org.elastichadoop.slots.yarn.applier;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.elastichadoop.slots.yarn.capacity.NodeResources;

/**
 * What the applier keeps per NodeManager in ZooKeeper (ROOT/yarn/nodes/NODE): the resources the NodeManager
 * registered with (its own, given back when allocations go stale), and the last resources applied, when and why.
 * A new active applier reads these, so a restart never takes an applied capacity for the configured one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class NodeRecord {
    @JsonProperty public final String node;
    @JsonProperty public final NodeResources configured;
    @JsonProperty public final NodeResources applied;
    @JsonProperty public final long appliedAt;
    @JsonProperty public final String reason;

    @JsonCreator
    public NodeRecord(@JsonProperty(value = "node", required = true) String node,
                      @JsonProperty(value = "configured", required = true) NodeResources configured,
                      @JsonProperty("applied") NodeResources applied,
                      @JsonProperty("appliedAt") long appliedAt,
                      @JsonProperty("reason") String reason) {
        this.node = node;
        this.configured = configured;
        this.applied = applied;
        this.appliedAt = appliedAt;
        this.reason = reason;
    }

    NodeRecord withConfigured(NodeResources c) {
        return new NodeRecord(node, c, applied, appliedAt, reason);
    }

    NodeRecord withApplied(NodeResources a, long at, String why) {
        return new NodeRecord(node, configured, a, at, why);
    }
}
