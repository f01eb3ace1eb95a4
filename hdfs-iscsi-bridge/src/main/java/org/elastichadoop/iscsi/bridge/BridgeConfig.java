package org.elastichadoop.iscsi.bridge;

import java.util.List;

/**
 * The bridge's configuration file (YAML); see conf/iscsi-bridge.yaml for every key with its default.
 * Missing keys take the defaults below; unknown keys are an error naming the key and the file.
 */
public record BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                           Integer ioThreads, SessionConfig session, DiscoveryConfig discovery,
                           List<TargetConfig> targets, String zk, Integer zkSessionTimeoutSeconds) {

    /** Without ZooKeeper: file-backed LUNs only. */
    public BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                        Integer ioThreads, SessionConfig session, DiscoveryConfig discovery, List<TargetConfig> targets) {
        this(portal, advertisedAddress, portalGroupTag, status, ioThreads, session, discovery, targets, null, null);
    }

    /** With ZooKeeper, default session timeout. */
    public BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                        Integer ioThreads, SessionConfig session, DiscoveryConfig discovery, List<TargetConfig> targets,
                        String zk) {
        this(portal, advertisedAddress, portalGroupTag, status, ioThreads, session, discovery, targets, zk, null);
    }

    public record SessionConfig(Integer maxRecvDataSegmentLength, Integer maxBurstLength, Integer firstBurstLength,
                                Boolean initialR2T, Boolean immediateData, Integer maxOutstandingR2T,
                                Boolean headerDigest, Boolean dataDigest, Integer commandWindow,
                                Integer nopIntervalSeconds, Integer nopTimeoutSeconds, Integer loginTimeoutSeconds) {}

    public record ChapConfig(String user, String secret) {}

    public record DiscoveryConfig(ChapConfig chap, ChapConfig mutualChap) {}

    public record TargetConfig(String iqn, String alias, List<String> allowedInitiators, ChapConfig chap,
                               ChapConfig mutualChap, List<LunConfig> luns) {}

    /**
     * A LUN backed by a local {@code file}, or by the log-structured {@code volume} of that name (needs {@code zk}).
     * A log volume LUN with {@code standby} serves only while this bridge is the volume's elected writer;
     * without it the bridge serves the volume from start-up, waiting at most {@code takeoverAfterSeconds}
     * for another writer to go away (-1: as long as it takes). {@code cache} sizes its segment cache, {@code mapCache}
     * the cache of its LBA map's pages.
     */
    public record LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial,
                            String volume, Boolean writeThrough, Boolean standby, Integer takeoverAfterSeconds, String cache,
                            String mapCache) {

        public LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial,
                         String volume, Boolean writeThrough, Boolean standby, Integer takeoverAfterSeconds, String cache) {
            this(lun, file, size, blockSize, readOnly, serial, volume, writeThrough, standby, takeoverAfterSeconds, cache, null);
        }

        public LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial) {
            this(lun, file, size, blockSize, readOnly, serial, null, null, null, null, null);
        }

        public LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial,
                         String volume, Boolean writeThrough) {
            this(lun, file, size, blockSize, readOnly, serial, volume, writeThrough, null, null, null);
        }

        public static LunConfig ofVolume(int lun, String volume) {
            return new LunConfig(lun, null, null, null, false, null, volume, null, null, null, null);
        }

        /** A log volume LUN served only while this bridge is the volume's elected writer. */
        public static LunConfig standbyOfVolume(int lun, String volume) {
            return new LunConfig(lun, null, null, null, false, null, volume, null, true, null, null);
        }

        /** The same LUN with a log-volume segment cache of this size (e.g. "1G"). */
        public LunConfig withCache(String size) {
            return new LunConfig(lun, file, this.size, blockSize, readOnly, serial, volume, writeThrough, standby, takeoverAfterSeconds, size,
                    mapCache);
        }
    }
}
