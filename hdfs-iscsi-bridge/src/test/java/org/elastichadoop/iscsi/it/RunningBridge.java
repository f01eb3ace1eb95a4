package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.elastichadoop.iscsi.bridge.IscsiBridge;

import java.nio.file.Path;
import java.util.List;

/** A bridge started in this JVM on an ephemeral port, serving file-backed LUNs. */
final class RunningBridge implements AutoCloseable {
    final IscsiBridge bridge;

    private RunningBridge(IscsiBridge bridge) {
        this.bridge = bridge;
    }

    static RunningBridge start(List<BridgeConfig.TargetConfig> targets) throws Exception {
        return start(targets, null);
    }

    static RunningBridge start(List<BridgeConfig.TargetConfig> targets, BridgeConfig.SessionConfig session) throws Exception {
        BridgeConfig config = new BridgeConfig("127.0.0.1:0", null, null, "127.0.0.1:0", null, session, null, targets);
        return new RunningBridge(IscsiBridge.start(config, "test"));
    }

    static BridgeConfig.TargetConfig fileTarget(String iqn, Path file, String size) {
        return new BridgeConfig.TargetConfig(iqn, null, null, null, null,
                List.of(new BridgeConfig.LunConfig(0, file.toString(), size, 512, false, null)));
    }

    int port() {
        return bridge.portalAddress().getPort();
    }

    String url(String iqn, int lun) {
        return "iscsi://127.0.0.1:" + port() + "/" + iqn + "/" + lun;
    }

    @Override
    public void close() {
        bridge.close();
    }
}
