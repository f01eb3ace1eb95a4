package org.elastichadoop.slots.yarn.applier;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.AllocationCodec;
import org.elastichadoop.slots.allocation.InvalidAllocationException;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.controller.LatchHolder;
import org.elastichadoop.slots.yarn.capacity.CapacityRule;
import org.elastichadoop.slots.yarn.capacity.NodeResources;
import org.elastichadoop.slots.yarn.rm.AdminRefusedException;
import org.elastichadoop.slots.yarn.rm.NodeState;
import org.elastichadoop.slots.yarn.rm.ResourceManagerAdmin;
import org.elastichadoop.slots.zk.SlotPaths;

/**
 * The 'slotctl yarn' service's loop: every poll, if it holds the latch, compare each running NodeManager's
 * resources at the ResourceManager with what its allocation asks for, and change the ones that differ in one
 * batched updateNodeResource. Because it compares with the RM every poll, an RM restart or a NodeManager that
 * registers again (both bring back the NodeManager's own resources) is corrected at the next poll; an allocation
 * older than the TTL, or none, gives the node its configured resources back.
 *
 * <p>A node's configured resources are what the RM reported for it before this service changed anything, kept in
 * ZooKeeper; when the RM later reports resources the service did not apply (a poll after its last change), the
 * NodeManager registered again, and what it brought is its configuration now.
 */
public final class YarnApplier implements Closeable {
    private static final Logger LOG = LogManager.getLogger(YarnApplier.class);

    private final ResourceManagerAdmin rm;
    private final SlotPaths paths;
    /** The allocations, followed by watches: a pass reads them from memory, not with two ZooKeeper reads per node. */
    private final CuratorCache allocations;
    private volatile boolean allocationsLoaded;
    private final NodeRecords records;
    private final ControllerConfig.Yarn settings;
    private final CapacityRule rule;
    private final String id;
    private final LongSupplier clock;
    private final LeaderLatch latch;
    private final ScheduledExecutorService loop;
    private final Map<String, NodeRecord> known = new HashMap<>();
    /** Not active (yet): the first poll that finds this one holding the latch says so. */
    private boolean standingBy = true;
    /** Who held the latch at the last poll this one stood by; logged when it changes. */
    private String lastHolder;
    private String lastRefusal;

    public YarnApplier(CuratorFramework zk, ControllerConfig config, ResourceManagerAdmin rm, String id, LongSupplier clock) {
        this.paths = new SlotPaths(config.zkRoot);
        this.rm = rm;
        this.allocations = CuratorCache.build(zk, paths.allocations());
        allocations.listenable().addListener(CuratorCacheListener.builder().forInitialized(() -> allocationsLoaded = true).build());
        this.records = new NodeRecords(zk, paths);
        this.settings = config.yarn;
        this.rule = new CapacityRule(config.yarn);
        this.id = id;
        this.clock = clock;
        this.latch = new LeaderLatch(zk, paths.yarnApplierLatch(), id);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "yarn-applier");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() throws Exception {
        allocations.start();
        latch.start();
        loop.scheduleWithFixedDelay(this::pollQuietly, 0, settings.pollSeconds, TimeUnit.SECONDS);
        LOG.info("YARN applier {} started: poll every {} s, {} vcore(s) per slot, memory {}, overcommit timeout {} s, TTL {} s",
                id, settings.pollSeconds, settings.vcoresPerSlot, settings.memory, settings.overcommitTimeoutSeconds, settings.ttlSeconds);
    }

    public boolean isActive() {
        return latch.hasLeadership();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (AdminRefusedException e) {
            if (!e.getMessage().equals(lastRefusal)) LOG.error("YARN applier {}: {}; nothing was changed", id, e.getMessage());
            lastRefusal = e.getMessage();
        } catch (Throwable t) {
            LOG.warn("YARN applier {}: a poll failed ({}); the next poll tries again", id, t.toString(), t);
        }
    }

    /** One pass; returns the changes it applied (NodeId to resources). */
    public synchronized Map<String, NodeResources> poll() throws Exception {
        if (!isActive()) {
            standingBy = true;
            String holder = LatchHolder.other(latch, id);
            if (holder != null && !holder.equals(lastHolder)) {
                LOG.info("YARN applier {} stands by: applier {} holds the latch; this one takes over when that one's ZooKeeper "
                        + "session ends", id, holder);
            }
            lastHolder = holder;
            known.clear(); // the active one changes the records; read them again on taking over
            return new LinkedHashMap<>();
        }
        if (!allocationsLoaded) return new LinkedHashMap<>(); // not yet read: every node would look unallocated
        if (standingBy) LOG.info("YARN applier {} is now the active one", id);
        standingBy = false;
        long now = clock.getAsLong();
        List<NodeState> nodes = rm.runningNodes();
        Map<String, Integer> nodesPerHost = new HashMap<>();
        for (NodeState n : nodes) nodesPerHost.merge(n.host, 1, Integer::sum);

        Map<String, NodeResources> changes = new LinkedHashMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (NodeState n : nodes) {
            NodeRecord rec = record(n, now);
            Allocation a = allocationFor(n, nodesPerHost.get(n.host) == 1);
            NodeResources target = rule.target(a, rec.configured, now);
            if (!target.equals(n.capability)) {
                changes.put(n.nodeId, target);
                reasons.put(n.nodeId, a == null ? "no allocation: its configured resources"
                        : rule.isStale(a, now) ? "allocation v" + a.version() + " is older than the TTL (" + settings.ttlSeconds
                        + " s): its configured resources" : "allocation v" + a.version() + ": " + a.maps() + " maps + " + a.reduces() + " reduces");
            }
        }
        if (changes.isEmpty()) return changes;
        if (!isActive()) return new LinkedHashMap<>(); // lost the latch during the pass: the new active one applies
        rm.update(changes, settings.overcommitTimeoutSeconds);
        lastRefusal = null;
        List<NodeRecord> applied = new ArrayList<>();
        for (Map.Entry<String, NodeResources> c : changes.entrySet()) {
            NodeRecord rec = known.get(c.getKey()).withApplied(c.getValue(), now, reasons.get(c.getKey()));
            applied.add(rec);
            known.put(c.getKey(), rec);
            LOG.info("YARN applier {}: {} -> {} ({})", id, c.getKey(), c.getValue(), reasons.get(c.getKey()));
        }
        records.writeAll(applied);
        return changes;
    }

    /** The node's record, made on first sight (before anything is applied) and corrected when it registered again. */
    private NodeRecord record(NodeState n, long now) throws Exception {
        NodeRecord rec = known.get(n.nodeId);
        if (rec == null) {
            try {
                rec = records.read(n.nodeId).orElse(null);
            } catch (InvalidAllocationException e) {
                LOG.warn("YARN applier {}: {}; starting it again from what the RM reports", id, e.getMessage());
            }
        }
        if (rec == null) {
            rec = new NodeRecord(n.nodeId, n.capability, null, 0, null);
            records.write(rec);
            LOG.info("YARN applier {}: new NodeManager {}: its own resources are {}", id, n.nodeId, n.capability);
        } else if (rec.applied != null && !n.capability.equals(rec.applied) && !n.capability.equals(rec.configured)
                && now - rec.appliedAt > settings.pollSeconds * 1000L) {
            LOG.info("YARN applier {}: {} registered again with {} (configured before: {}); taking that as its own resources",
                    id, n.nodeId, n.capability, rec.configured);
            rec = rec.withConfigured(n.capability);
            records.write(rec);
        }
        known.put(n.nodeId, rec);
        return rec;
    }

    /** The allocation named by the NodeId (host:port), or by the host when only one NodeManager runs there. */
    private Allocation allocationFor(NodeState n, boolean aloneOnHost) {
        Optional<ChildData> data = allocations.get(paths.allocation(n.nodeId));
        if (!data.isPresent() && aloneOnHost) data = allocations.get(paths.allocation(n.host));
        if (!data.isPresent()) return null;
        try {
            return AllocationCodec.decode(data.get().getData(), data.get().getPath());
        } catch (InvalidAllocationException e) {
            LOG.warn("YARN applier {}: {}; {} is treated as having no allocation", id, e.getMessage(), n.nodeId);
            return null;
        }
    }

    @Override
    public void close() {
        // a pass in flight finishes, so that what it applied at the RM is also in its node records
        loop.shutdown();
        try {
            if (!loop.awaitTermination(10, TimeUnit.SECONDS)) loop.shutdownNow();
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
        allocations.close();
        try {
            latch.close();
        } catch (Exception e) {
            LOG.debug("YARN applier {}: closing the latch: {}", id, e.toString());
        }
    }
}
