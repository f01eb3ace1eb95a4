package org.elastichadoop.slots.controller;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.InvalidAllocationException;
import org.elastichadoop.slots.policy.HostFigures;
import org.elastichadoop.slots.policy.SlotPolicy;
import org.elastichadoop.slots.policy.Slots;
import org.elastichadoop.slots.source.HostCpuSource;
import org.elastichadoop.slots.zk.AllocationStore;

import java.io.Closeable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The controller daemon's loop: every poll, if this controller holds the leader latch, read each
 * tracker's counter source (bounded by a timeout; a hung source is skipped until it answers),
 * run the policy, and publish the allocation when it changed or is due for a refresh. Controllers
 * that do not hold the latch stand by; when the leader's ZooKeeper session ends, one of them takes
 * the latch and publishes at its next poll.
 */
public final class Controller implements Closeable {
    private static final Logger LOG = LogManager.getLogger(Controller.class);

    private final CuratorFramework zk;
    private final AllocationStore store;
    private final ControllerConfig config;
    private final Map<String, HostCpuSource> sources;
    private final SlotPolicy policy;
    private final String id;
    private final LongSupplier clock;
    private final LeaderLatch latch;
    private final ScheduledExecutorService loop;
    private final ExecutorService reads;
    /** Reads still running from an earlier poll: their source is skipped until they end. */
    private final Map<String, Future<Optional<HostFigures>>> pending = new HashMap<>();
    private final Map<String, Allocation> published = new LinkedHashMap<>();
    private final Map<String, HostFigures> lastFigures = new HashMap<>();
    private volatile boolean leader;
    private boolean standingBy;
    /** Who held the latch at the last poll this one stood by; logged when it changes. */
    private String lastHolder;
    private byte[] appliedPolicy;

    public Controller(CuratorFramework zk, ControllerConfig config, Map<String, HostCpuSource> sources, String id, LongSupplier clock) {
        this.zk = zk;
        this.store = new AllocationStore(zk, new org.elastichadoop.slots.zk.SlotPaths(config.zkRoot));
        this.config = config;
        this.sources = sources;
        this.policy = new SlotPolicy(config.policy.settings());
        this.id = id;
        this.clock = clock;
        this.latch = new LeaderLatch(zk, store.paths().controllerLatch(), id);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "slot-controller"));
        this.reads = Executors.newCachedThreadPool(r -> daemon(r, "slot-source"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public void start() throws Exception {
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                leader = true;
                LOG.info("Controller {} is now the active controller: it publishes allocations from its next poll", id);
            }

            @Override
            public void notLeader() {
                leader = false;
                LOG.info("Controller {} lost the leader latch (its ZooKeeper session was interrupted); it stops publishing", id);
            }
        });
        latch.start();
        loop.scheduleWithFixedDelay(this::pollQuietly, 0, config.pollSeconds, TimeUnit.SECONDS);
        LOG.info("Controller {} started: {} tracker(s), poll every {} s, policy {}", id, sources.size(), config.pollSeconds,
                policy.settings());
    }

    public boolean isActive() {
        return leader && latch.hasLeadership();
    }

    /** What this controller last published, per host (empty while it stands by). */
    public synchronized Map<String, Allocation> published() {
        return new LinkedHashMap<>(published);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (Throwable t) {
            LOG.error("Controller {}: a poll failed ({}); the next poll tries again", id, t.toString(), t);
        }
    }

    synchronized void poll() throws Exception {
        if (!isActive()) {
            standingBy = true;
            String holder = LatchHolder.other(latch, id);
            if (holder != null && !holder.equals(lastHolder)) {
                LOG.info("Controller {} stands by: controller {} holds the latch at {}; this one takes over when that one's "
                        + "ZooKeeper session ends", id, holder, store.paths().controllerLatch());
            }
            lastHolder = holder;
            published.clear();
            return;
        }
        standingBy = false;
        followPolicyInZooKeeper();
        for (Map.Entry<String, HostCpuSource> e : sources.entrySet()) {
            String host = e.getKey();
            Optional<HostFigures> figures = read(host, e.getValue());
            Slots slots = figures.isPresent() ? policy.decide(host, figures.get()) : null;
            if (figures.isPresent()) lastFigures.put(host, figures.get());
            Optional<org.elastichadoop.slots.allocation.OperatorOverride> o = Optional.empty();
            try {
                o = store.readOverride(host);
            } catch (InvalidAllocationException bad) {
                LOG.warn("Controller {}: ignoring {}; remove it with 'slotctl release {}'", id, bad.getMessage(), host);
            }
            if (o.isPresent()) slots = new Slots(o.get().maps(), o.get().reduces(), o.get().describe());
            if (slots != null) publish(host, slots, o.isPresent() ? null : lastFigures.get(host));
        }
    }

    /** Policy settings set with 'slotctl policy set' replace the file's until removed. */
    private void followPolicyInZooKeeper() throws Exception {
        Optional<byte[]> json = store.readPolicy();
        byte[] now = json.orElse(null);
        if (java.util.Arrays.equals(now, appliedPolicy)) return;
        try {
            ControllerConfig.Policy p = now == null ? config.policy : PolicyJson.parse(now);
            policy.use(p.settings());
            appliedPolicy = now;
            LOG.info("Controller {}: policy {} ({})", id, policy.settings(), now == null ? "from its configuration file" : "set with slotctl");
        } catch (IllegalArgumentException e) {
            appliedPolicy = now; // logged once; the settings in use stay
            LOG.warn("Controller {}: ignoring the policy in {}: {}; keeping {}", id, store.paths().policy(), e.getMessage(), policy.settings());
        }
    }

    private Optional<HostFigures> read(String host, HostCpuSource source) {
        Future<Optional<HostFigures>> f = pending.remove(host);
        if (f == null) f = reads.submit(source::read);
        try {
            return f.get(config.sourceTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            pending.put(host, f);
            LOG.warn("Controller {}: {} did not answer within {} s; {} keeps its allocation until it does", id, source.describe(),
                    config.sourceTimeoutSeconds, host);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("Controller {}: {} gave no usable figures ({}); {} keeps its allocation", id, source.describe(), cause, host);
        }
        return Optional.empty();
    }

    private void publish(String host, Slots slots, HostFigures figures) throws Exception {
        long now = clock.getAsLong();
        Allocation last = published.get(host);
        if (last == null) {
            try {
                last = store.read(host).orElse(null);
            } catch (InvalidAllocationException e) {
                LOG.warn("Controller {}: the allocation stored for {} is invalid ({}); replacing it", id, host, e.getMessage());
            }
        }
        boolean changed = last == null || last.maps() != slots.maps || last.reduces() != slots.reduces;
        boolean due = last == null || now - last.timestampMillis() >= TimeUnit.SECONDS.toMillis(config.refreshSeconds);
        if (!changed && !due && published.containsKey(host)) return;
        if (!isActive()) return; // lost the latch during this poll: the new leader publishes
        Allocation next = new Allocation(host, slots.maps, slots.reduces, last == null ? 1 : last.version() + 1, now, slots.reason,
                figures == null ? null : figures.capacityCores(), figures == null ? null : figures.othersCores());
        store.write(next);
        published.put(host, next);
        if (changed) LOG.info("Controller {}: {} -> {} maps, {} reduces (v{}): {}", id, host, next.maps(), next.reduces(), next.version(), slots.reason);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        reads.shutdownNow();
        try {
            latch.close();
        } catch (Exception e) {
            LOG.debug("Controller {}: closing the latch: {}", id, e.toString());
        }
    }
}
