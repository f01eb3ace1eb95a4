package org.elastichadoop.slots.scheduler;

import org.apache.hadoop.conf.Configuration;

/**
 * The JobTracker side's keys (mapred-site.xml), with their defaults; see
 * conf/mapred-site.xml.example.
 */
public final class SchedulerSettings {
    public static final String ZK = "elastic.slots.zk";
    public static final String ZK_ROOT = "elastic.slots.zk.root";
    public static final String ZK_SESSION_MS = "elastic.slots.zk.session.timeout.ms";
    public static final String DELEGATE = "elastic.slots.scheduler.delegate";
    public static final String TTL_SECONDS = "elastic.slots.allocation.ttl.seconds";
    public static final String FALLBACK_MAPS = "elastic.slots.fallback.maps";
    public static final String FALLBACK_REDUCES = "elastic.slots.fallback.reduces";
    public static final String PREEMPT = "elastic.slots.preempt";

    public static final String DEFAULT_DELEGATE = "org.apache.hadoop.mapred.JobQueueTaskScheduler";

    public final String zk;
    public final String zkRoot;
    public final int zkSessionMs;
    public final String delegate;
    public final long ttlMillis;
    /** Slots when no fresh allocation is known; -1 means the tracker's own configured maximum. */
    public final int fallbackMaps;
    public final int fallbackReduces;
    /** Kill the newest task attempts of a tracker running more than its allocation (they run again elsewhere). */
    public final boolean preempt;

    private SchedulerSettings(Configuration conf) {
        zk = conf.get(ZK);
        if (zk == null || zk.trim().isEmpty()) {
            throw new IllegalArgumentException("mapred-site.xml: '" + ZK + "' is not set; give the ZooKeeper the slot controller "
                    + "publishes to, e.g. zk1:2181,zk2:2181,zk3:2181");
        }
        zkRoot = conf.get(ZK_ROOT, "/elastichadoop/slots");
        zkSessionMs = conf.getInt(ZK_SESSION_MS, 15000);
        delegate = conf.get(DELEGATE, DEFAULT_DELEGATE);
        long ttl = conf.getLong(TTL_SECONDS, 120);
        fallbackMaps = conf.getInt(FALLBACK_MAPS, -1);
        fallbackReduces = conf.getInt(FALLBACK_REDUCES, -1);
        preempt = conf.getBoolean(PREEMPT, false);
        if (ttl < 1) throw new IllegalArgumentException("mapred-site.xml: '" + TTL_SECONDS + "' must be 1 or more, not " + ttl);
        if (fallbackMaps < -1 || fallbackReduces < -1) {
            throw new IllegalArgumentException("mapred-site.xml: '" + FALLBACK_MAPS + "' and '" + FALLBACK_REDUCES
                    + "' must be -1 (the tracker's own maximum) or a number of slots");
        }
        if (zkSessionMs < 1000) throw new IllegalArgumentException("mapred-site.xml: '" + ZK_SESSION_MS + "' must be 1000 or more");
        ttlMillis = ttl * 1000;
    }

    public static SchedulerSettings from(Configuration conf) {
        return new SchedulerSettings(conf);
    }
}
