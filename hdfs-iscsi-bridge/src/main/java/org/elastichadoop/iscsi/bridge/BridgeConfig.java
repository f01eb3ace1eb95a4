package org.elastichadoop.iscsi.bridge;

import java.util.List;

/**
 * The bridge's configuration file (YAML); see conf/iscsi-bridge.yaml for every key with its default.
 * Missing keys take the defaults below; unknown keys are an error naming the key and the file.
 */
public record BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                           Integer ioThreads, SessionConfig session, DiscoveryConfig discovery,
                           List<TargetConfig> targets, String zk) {

    /** Without ZooKeeper: file-backed LUNs only. */
    public BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                        Integer ioThreads, SessionConfig session, DiscoveryConfig discovery, List<TargetConfig> targets) {
        this(portal, advertisedAddress, portalGroupTag, status, ioThreads, session, discovery, targets, null);
    }

    public record SessionConfig(Integer maxRecvDataSegmentLength, Integer maxBurstLength, Integer firstBurstLength,
                                Boolean initialR2T, Boolean immediateData, Integer maxOutstandingR2T,
                                Boolean headerDigest, Boolean dataDigest, Integer commandWindow,
                                Integer nopIntervalSeconds, Integer nopTimeoutSeconds, Integer loginTimeoutSeconds) {}

    public record ChapConfig(String user, String secret) {}

    public record DiscoveryConfig(ChapConfig chap, ChapConfig mutualChap) {}

    public record TargetConfig(String iqn, String alias, List<String> allowedInitiators, ChapConfig chap,
                               ChapConfig mutualChap, List<LunConfig> luns) {}

    /** A LUN backed by a local {@code file}, or by the log-structured {@code volume} of that name (needs {@code zk}). */
    public record LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial,
                            String volume, Boolean writeThrough) {

        public LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial) {
            this(lun, file, size, blockSize, readOnly, serial, null, null);
        }

        public static LunConfig ofVolume(int lun, String volume) {
            return new LunConfig(lun, null, null, null, false, null, volume, null);
        }
    }
}
