package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a live node reports of a ring change: the ring epoch it has applied (it refuses older coordinators from
 * then on) and the last epoch whose keys it has handed over to their new replicas.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Progress(long epoch, long handedOver) {
}
