package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Per-cluster settings, kept in ZooKeeper so every node and client agrees.
 *
 * @param replicationFactor copies of each entry the cluster keeps (RF)
 * @param syncCopies replicas that must have accepted a value before a put is acknowledged (W); more than half of
 *                   RF, so that two values can never both be acknowledged and every read quorum of RF - W + 1
 *                   replicas meets every acknowledged value
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
        if (syncCopies * 2 <= replicationFactor) {
            throw new IllegalArgumentException("syncCopies (W) must be more than half of replicationFactor (RF "
                    + replicationFactor + "), not " + syncCopies + ": with fewer, two values could both be acknowledged");
        }
    }

    /** Replicas that must answer before "no entry" or a recovery decision can be trusted: RF - W + 1. */
    public int readQuorum() {
        return replicationFactor - syncCopies + 1;
    }
}
