package org.elastichadoop.kv.cluster;

/**
 * Where a cluster keeps its state in ZooKeeper: /elastickv/&lt;cluster&gt;/{members,nodes,settings}. A member
 * (persistent znode) stays until an operator removes it; a node (ephemeral znode) lives as long as its session.
 */
public record ZkPaths(String cluster) {
    public static final String DEFAULT_CLUSTER = "default";

    public String root() {
        return "/elastickv/" + cluster;
    }

    public String members() {
        return root() + "/members";
    }

    public String member(String id) {
        return members() + "/" + id;
    }

    public String nodes() {
        return root() + "/nodes";
    }

    public String node(String id) {
        return nodes() + "/" + id;
    }

    public String settings() {
        return root() + "/settings";
    }

    /** The {@link Ring}: which nodes hold data, and the change under way. */
    public String ring() {
        return root() + "/ring";
    }

    /** Ephemeral, per live node: the ring epoch it applied and the last change it handed its keys over for. */
    public String progress(String id) {
        return root() + "/progress/" + id;
    }

    public String progress() {
        return root() + "/progress";
    }
}
