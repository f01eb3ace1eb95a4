package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Per-cluster settings, kept in ZooKeeper so every node and client agrees.
 *
 * @param replicationFactor copies of each entry the cluster keeps (RF)
 * @param syncCopies copies, the coordinator's included, that must be durable before a put is acknowledged (W)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(int replicationFactor, int syncCopies) {
    public static final Settings DEFAULT = new Settings(3, 2);

    public Settings {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, not " + replicationFactor);
        }
        if (syncCopies < 1 || syncCopies > replicationFactor) {
            throw new IllegalArgumentException("syncCopies must be within 1.." + replicationFactor + ", not " + syncCopies);
        }
    }
}
