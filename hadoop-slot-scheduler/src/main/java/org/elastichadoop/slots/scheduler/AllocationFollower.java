package org.elastichadoop.slots.scheduler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.AllocationCodec;
import org.elastichadoop.slots.allocation.InvalidAllocationException;
import org.elastichadoop.slots.zk.SlotPaths;

import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Follows the controller's allocations in ZooKeeper (a Curator cache of ROOT/allocations) and
 * answers, without ever waiting or throwing, what a tracker may run now: its allocation while it is
 * fresh, else the fallback. An invalid allocation is logged and ignored (the last valid one stays,
 * until it is older than the TTL). Logs go to the JobTracker's log (commons-logging).
 */
public final class AllocationFollower implements Closeable {
    private static final Log LOG = LogFactory.getLog(AllocationFollower.class);

    static final int CONNECTION_TIMEOUT_MS = 5_000;
    static final int CLOSE_WAIT_MS = 1_000;

    private final SchedulerSettings settings;
    private final SlotPaths paths;
    private final LongSupplier clock;
    private final Map<String, Allocation> current = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Map<String, Boolean> warnedStale = new ConcurrentHashMap<>();
    private CuratorFramework client;
    private CuratorCache cache;

    public AllocationFollower(SchedulerSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.paths = new SlotPaths(settings.zkRoot);
        this.clock = clock;
    }

    /** Connects in the background: the JobTracker starts even when ZooKeeper is down (trackers get the fallback). */
    public void start() {
        // Few, short retries: a caller never waits long on a lost ZooKeeper (the cache re-reads everything
        // when the connection comes back, whatever the retry policy)
        client = CuratorFrameworkFactory.builder().connectString(settings.zk).sessionTimeoutMs(settings.zkSessionMs)
                .connectionTimeoutMs(Math.min(CONNECTION_TIMEOUT_MS, settings.zkSessionMs)).maxCloseWaitMs(CLOSE_WAIT_MS)
                .retryPolicy(new ExponentialBackoffRetry(250, 3, 2_000)).build();
        client.start();
        cache = CuratorCache.build(client, paths.allocations());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> take(after))
                .forDeletes(this::gone)
                .build());
        cache.start();
        LOG.info("Elastic slots: following allocations at " + settings.zk + paths.allocations() + " (TTL " + settings.ttlMillis / 1000
                + " s; fallback " + describeFallback() + ")");
    }

    private void take(ChildData data) {
        if (data.getPath().equals(paths.allocations())) return;
        String host = SlotPaths.hostOf(data.getPath());
        try {
            Allocation a = AllocationCodec.decode(data.getData(), data.getPath());
            if (!a.tracker().equals(host)) throw new InvalidAllocationException(data.getPath() + ": names tracker " + a.tracker());
            Allocation before = current.put(host, a);
            refused.remove(host);
            warnedStale.remove(host);
            if (before == null || before.maps() != a.maps() || before.reduces() != a.reduces()) {
                LOG.info("Elastic slots: " + host + " may run " + a.maps() + " maps and " + a.reduces() + " reduces (v" + a.version()
                        + "): " + a.reason());
            }
        } catch (InvalidAllocationException e) {
            refused.put(host, e.getMessage());
            LOG.warn("Elastic slots: ignoring an invalid allocation: " + e.getMessage() + "; " + host
                    + " keeps its last valid one until it is older than the TTL");
        }
    }

    private void gone(ChildData data) {
        String host = SlotPaths.hostOf(data.getPath());
        if (current.remove(host) != null) LOG.info("Elastic slots: the allocation of " + host + " was removed; it gets the fallback");
    }

    /**
     * What {@code host} may run, given its TaskTracker's configured maxima. Never throws, never waits:
     * it is called on every heartbeat.
     */
    public SlotCaps capsFor(String host, int trackerMaxMaps, int trackerMaxReduces) {
        Allocation a = current.get(host);
        long now = clock.getAsLong();
        if (a != null && a.ageMillis(now) <= settings.ttlMillis) {
            return new SlotCaps(Math.min(a.maps(), trackerMaxMaps), Math.min(a.reduces(), trackerMaxReduces), "allocation v" + a.version());
        }
        String why;
        if (a == null) {
            why = refused.containsKey(host) ? "fallback: the allocation is invalid" : "fallback: no allocation";
        } else {
            why = "fallback: allocation " + a.ageMillis(now) / 1000 + " s old";
            if (warnedStale.putIfAbsent(host, Boolean.TRUE) == null) {
                LOG.warn("Elastic slots: the allocation of " + host + " is " + a.ageMillis(now) / 1000 + " s old (TTL "
                        + settings.ttlMillis / 1000 + " s): is the controller running? " + host + " gets " + describeFallback());
            }
        }
        int maps = settings.fallbackMaps < 0 ? trackerMaxMaps : Math.min(settings.fallbackMaps, trackerMaxMaps);
        int reduces = settings.fallbackReduces < 0 ? trackerMaxReduces : Math.min(settings.fallbackReduces, trackerMaxReduces);
        return new SlotCaps(maps, reduces, why);
    }

    private String describeFallback() {
        return (settings.fallbackMaps < 0 ? "its configured map slots" : settings.fallbackMaps + " map slots") + " and "
                + (settings.fallbackReduces < 0 ? "its configured reduce slots" : settings.fallbackReduces + " reduce slots");
    }

    /** Allocations and reports through this follower's ZooKeeper client (started by {@link #start}). */
    public org.elastichadoop.slots.zk.AllocationStore store() {
        return new org.elastichadoop.slots.zk.AllocationStore(client, paths);
    }

    @Override
    public void close() {
        if (cache != null) cache.close();
        if (client != null) client.close();
    }
}
