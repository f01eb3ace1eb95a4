package org.elastichadoop.slots.controller;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.elastichadoop.slots.policy.PolicySettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The controller's configuration file (YAML; see conf/slotctl.yaml): how often to poll, the
 * policy, and for each TaskTracker host where its CPU figures come from. Missing keys take the
 * defaults below.
 */
public final class ControllerConfig {
    /** ZooKeeper root of the slot znodes. */
    @JsonProperty public String zkRoot = "/elastichadoop/slots";
    @JsonProperty public int pollSeconds = 5;
    /** A source that has not answered within this is skipped for the poll (and logged). */
    @JsonProperty public int sourceTimeoutSeconds = 2;
    /** An unchanged allocation is published again this often, so the scheduler's TTL never expires it. */
    @JsonProperty public int refreshSeconds = 30;
    @JsonProperty public Policy policy = new Policy();
    @JsonProperty public List<Tracker> trackers = new ArrayList<>();
    /** Read by 'slotctl yarn' only: how allocations become NodeManager resources. */
    @JsonProperty public Yarn yarn = new Yarn();

    /** How 'slotctl yarn' turns allocations into NodeManager resources at the ResourceManager. */
    public static final class Yarn {
        /** A Hadoop configuration directory with yarn-site.xml (the RM's address, RM HA); null: $HADOOP_CONF_DIR. */
        @JsonProperty public String hadoopConf;
        /** Compare allocations with what the RM has, and apply, this often. */
        @JsonProperty public int pollSeconds = 5;
        /** Vcores a NodeManager gets per allocated slot (maps + reduces). */
        @JsonProperty public int vcoresPerSlot = 1;
        /** scale: memory shrinks and grows with the vcores, from the NodeManager's own; keep: memory stays as configured. */
        @JsonProperty public String memory = "scale";
        /** Memory is set in steps of this (yarn.scheduler.minimum-allocation-mb); never below one step. */
        @JsonProperty public int memoryStepMb = 1024;
        /** Containers beyond a shrunk capacity are preempted after this grace; -1: they finish on their own. */
        @JsonProperty public int overcommitTimeoutSeconds = 60;
        /** An allocation older than this is distrusted: the NodeManager gets its configured resources back. */
        @JsonProperty public int ttlSeconds = 120;
    }

    public static final class Policy {
        private static final PolicySettings D = PolicySettings.defaults();
        @JsonProperty public double targetUtilisation = D.targetUtilisation;
        @JsonProperty public double mapSlotCores = D.mapSlotCores;
        @JsonProperty public double reduceSlotCores = D.reduceSlotCores;
        @JsonProperty public double reduceShare = D.reduceShare;
        @JsonProperty public int minMaps = D.minMaps;
        @JsonProperty public int maxMaps = D.maxMaps;
        @JsonProperty public int minReduces = D.minReduces;
        @JsonProperty public int maxReduces = D.maxReduces;
        @JsonProperty public double smoothing = D.smoothing;
        @JsonProperty public double hysteresisSlots = D.hysteresisSlots;
        @JsonProperty public int maxStep = D.maxStep;

        public PolicySettings settings() {
            return new PolicySettings(targetUtilisation, mapSlotCores, reduceSlotCores, reduceShare, minMaps, maxMaps,
                    minReduces, maxReduces, smoothing, hysteresisSlots, maxStep);
        }
    }

    /** One TaskTracker host and its counter source. */
    public static final class Tracker {
        /** The host name the TaskTracker reports (TaskTrackerStatus.getHost()). */
        @JsonProperty public String host;
        /** procstat, pressure, prometheus, libvirt or replay. */
        @JsonProperty public String source = "procstat";
        /** procstat: the /proc/stat to read (default /proc/stat); pressure: the PSI file (default /proc/pressure/cpu). */
        @JsonProperty public String path;
        /** pressure: the host's cores (PSI gives a share of time, not cores). */
        @JsonProperty public Double capacityCores;
        /** prometheus: the node_exporter's metrics URL, e.g. http://tt1:9100/metrics. */
        @JsonProperty public String url;
        /** libvirt: the connection URI of the KVM host the TaskTracker's VM runs on, e.g. qemu+ssh://kvm1/system. */
        @JsonProperty public String uri;
        /** libvirt: the domains (VMs) on that host that are Hadoop's; their CPU time is not "others". */
        @JsonProperty public List<String> domains = new ArrayList<>();
        /** procstat: guest (others = steal) or host (others = busy - Hadoop's own). */
        @JsonProperty public String mode = "guest";
        /** replay: the file of recorded figures. */
        @JsonProperty public String file;
    }
}
