package org.elastichadoop.slots.yarn.nodemanager;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.server.api.ApplicationInitializationContext;
import org.apache.hadoop.yarn.server.api.ApplicationTerminationContext;
import org.apache.hadoop.yarn.server.api.AuxiliaryService;
import org.apache.hadoop.yarn.server.api.ContainerInitializationContext;
import org.apache.hadoop.yarn.server.api.ContainerTerminationContext;
import org.elastichadoop.slots.allocation.TrackerReport;
import org.elastichadoop.slots.source.CpuCounters;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NodeManager side of elastic capacity on YARN, the counterpart of the TaskTracker hook: an auxiliary
 * service ({@code yarn.nodemanager.aux-services}) that reports its node at ROOT/reports/NAME every few seconds:
 * the containers running, the host's cores, busy time and steal (/proc/stat), and as busy time Hadoop's own, the
 * CPU of the NodeManager and everything it launched, so that the policy's host mode subtracts Hadoop's use on
 * YARN too. Resources themselves are set at the ResourceManager by 'slotctl yarn'.
 *
 * <p>It never fails the NodeManager: a bad setting, a missing class, anything thrown is logged once and the
 * service idles; the NodeManager runs as if it were not there.
 */
public class ElasticSlotsAuxService extends AuxiliaryService {
    public static final String NAME = "elastic_slots";
    private static final Logger LOG = LoggerFactory.getLogger(ElasticSlotsAuxService.class);

    private final Set<ContainerId> containers = ConcurrentHashMap.newKeySet();
    private final Path proc;
    private volatile boolean idle;
    private NodeManagerSettings settings;
    private CuratorFramework zk;
    private AllocationStore store;
    private ScheduledExecutorService loop;
    private ProcessTreeCpu hadoop;
    private CpuCounters lastHost;
    private long[] lastHadoop;
    private long lastNanos;
    private boolean reportFailed;

    public ElasticSlotsAuxService() {
        this(Paths.get("/proc"));
    }

    ElasticSlotsAuxService(Path proc) {
        super(NAME);
        this.proc = proc;
    }

    @Override
    protected void serviceInit(Configuration conf) throws Exception {
        try {
            settings = NodeManagerSettings.from(conf);
            hadoop = new ProcessTreeCpu(proc, Long.parseLong(proc.resolve("self").toRealPath().getFileName().toString()));
        } catch (Throwable t) {
            off("at start", t);
        }
        super.serviceInit(conf);
    }

    @Override
    protected void serviceStart() throws Exception {
        if (!idle) {
            try {
                zk = CuratorFrameworkFactory.newClient(settings.zk, 15_000, 5_000, new ExponentialBackoffRetry(500, 10));
                zk.start();
                store = new AllocationStore(zk, new SlotPaths(settings.zkRoot));
                loop = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "elastic-slots-reporter");
                    t.setDaemon(true);
                    return t;
                });
                loop.scheduleWithFixedDelay(this::report, 0, settings.reportSeconds, TimeUnit.SECONDS);
                LOG.info("Elastic slots: reporting this NodeManager as {} to {} under {} every {} s", settings.name, settings.zk,
                        settings.zkRoot, settings.reportSeconds);
            } catch (Throwable t) {
                off("at start", t);
            }
        }
        super.serviceStart();
    }

    /** One report: skipped until a second reading gives an interval; never throws. */
    void report() {
        if (idle) return;
        try {
            CpuCounters host = CpuCounters.read(proc.resolve("stat"));
            long[] tree = hadoop.ticksAndProcesses();
            long now = System.nanoTime();
            double[] cpu = host.busyAndStealCoresSince(lastHost);
            long[] before = lastHadoop;
            double seconds = (now - lastNanos) / 1e9;
            lastHost = host;
            lastHadoop = tree;
            lastNanos = now;
            if (cpu == null || before == null || seconds <= 0) return;
            // clock ticks are 1/100 s on Linux (USER_HZ), as in /proc/stat
            double hadoopCores = Math.max(0, tree[0] - before[0]) / 100.0 / seconds;
            double busy = Math.min(host.cpus(), cpu[0]);
            TrackerReport r = new TrackerReport(settings.name, 0, 0, 0, 0, host.cpus(), Math.min(busy, hadoopCores), cpu[1],
                    System.currentTimeMillis(), containers.size());
            store.writeReport(r);
            if (reportFailed) LOG.info("Elastic slots: reporting {} again", settings.name);
            reportFailed = false;
        } catch (Exception e) {
            if (!reportFailed) LOG.warn("Elastic slots: cannot report {} ({}); trying again every {} s", settings.name, e.toString(), settings.reportSeconds);
            reportFailed = true;
        } catch (Throwable t) {
            off("while reporting", t);
        }
    }

    /** The containers this NodeManager runs now. */
    public int containers() {
        return containers.size();
    }

    public boolean isIdle() {
        return idle;
    }

    private void off(String when, Throwable t) {
        if (idle) return;
        idle = true;
        LOG.error("Elastic slots are OFF on this NodeManager ({} {}): it runs on, but is not reported to the controller; "
                + "fix the cause and restart the NodeManager", when, t.toString(), t);
        stopQuietly();
    }

    @Override
    public void initializeContainer(ContainerInitializationContext context) {
        containers.add(context.getContainerId());
    }

    @Override
    public void stopContainer(ContainerTerminationContext context) {
        containers.remove(context.getContainerId());
    }

    @Override
    public void initializeApplication(ApplicationInitializationContext context) {
    }

    @Override
    public void stopApplication(ApplicationTerminationContext context) {
    }

    @Override
    public ByteBuffer getMetaData() {
        return ByteBuffer.allocate(0);
    }

    @Override
    protected void serviceStop() throws Exception {
        stopQuietly();
        super.serviceStop();
    }

    private void stopQuietly() {
        try {
            if (loop != null) loop.shutdownNow();
            if (zk != null) zk.close();
        } catch (Throwable t) {
            LOG.warn("Elastic slots: stopping: {}", t.toString());
        }
    }
}
