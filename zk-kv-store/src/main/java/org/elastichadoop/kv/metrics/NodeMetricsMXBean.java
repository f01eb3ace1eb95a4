package org.elastichadoop.kv.metrics;

/** What a node shows over JMX, under org.elastichadoop.kv:type=Node,id=&lt;node id&gt;. */
public interface NodeMetricsMXBean {
    long getPuts();

    long getPutBytes();

    long getGets();

    long getGetBytes();

    long getDeletes();

    long getFailedRequests();

    long getBadFrames();

    double getPutLatencyP50Micros();

    double getPutLatencyP99Micros();

    double getGetLatencyP50Micros();

    double getGetLatencyP99Micros();

    long getEntries();

    long getStoredBytes();

    /** fsyncs of the store's files and directory since the node started: with put_bytes_total, how well writes batch. */
    long getFsyncs();

    long getHintsPending();

    long getUnderReplicated();

    /** Keys whose replicas anti-entropy found holding different bytes (each is logged with its key). */
    long getReplicaConflicts();
}
