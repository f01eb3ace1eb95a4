package org.elastichadoop.iscsi.bridge;

import java.util.List;

/**
 * The bridge's configuration file (YAML); see conf/iscsi-bridge.yaml for every key with its default.
 * Missing keys take the defaults below; unknown keys are an error naming the key and the file.
 */
public record BridgeConfig(String portal, String advertisedAddress, Integer portalGroupTag, String status,
                           Integer ioThreads, SessionConfig session, DiscoveryConfig discovery,
                           List<TargetConfig> targets) {

    public record SessionConfig(Integer maxRecvDataSegmentLength, Integer maxBurstLength, Integer firstBurstLength,
                                Boolean initialR2T, Boolean immediateData, Integer maxOutstandingR2T,
                                Boolean headerDigest, Boolean dataDigest, Integer commandWindow,
                                Integer nopIntervalSeconds, Integer nopTimeoutSeconds, Integer loginTimeoutSeconds) {}

    public record ChapConfig(String user, String secret) {}

    public record DiscoveryConfig(ChapConfig chap, ChapConfig mutualChap) {}

    public record TargetConfig(String iqn, String alias, List<String> allowedInitiators, ChapConfig chap,
                               ChapConfig mutualChap, List<LunConfig> luns) {}

    public record LunConfig(Integer lun, String file, String size, Integer blockSize, Boolean readOnly, String serial) {}
}
