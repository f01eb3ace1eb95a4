package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.InetSocketAddress;

/** What a live node announces in ZooKeeper. Stored as JSON in its ephemeral znode. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(String id, String host, int port, int metricsPort, long capacityBytes, long startedAt) {

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }
}
