package org.elastichadoop.kv.cluster;

/** Where a cluster keeps its state in ZooKeeper: /elastickv/&lt;cluster&gt;/{nodes,settings}. */
public record ZkPaths(String cluster) {
    public static final String DEFAULT_CLUSTER = "default";

    public String root() {
        return "/elastickv/" + cluster;
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
}
