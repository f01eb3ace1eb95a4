package org.elastichadoop.iscsi.bench;

import java.util.List;
import org.elastichadoop.kv.procs.RunningProgram;

/** "ours": the bridge serving a file of the LUN size (FileVolume), DIR/ours.img. */
final class FileLunTarget implements Target {
    private final BenchConfig cfg;
    private final BridgeLauncher bridges;
    private RunningProgram bridge;

    FileLunTarget(BenchConfig cfg, BridgeLauncher bridges) {
        this.cfg = cfg;
        this.bridges = bridges;
    }

    @Override
    public String key() {
        return "ours";
    }

    @Override
    public String url() {
        return "iscsi://" + BenchConfig.HOST + ":" + cfg.oursPort() + "/" + cfg.iqns().ours() + "/" + cfg.iqns().oursLun();
    }

    @Override
    public void start() throws Exception {
        bridge = bridges.start(key(), "our target", List.of("--file-volume", cfg.dir().resolve("ours.img").toString(), "--size", cfg.size(),
                "--block-size", Integer.toString(cfg.blockSize())),
                cfg.iqns().ours(), cfg.oursPort(), cfg.logDir().resolve("ours.log"));
    }

    @Override
    public List<Role> roles() {
        return List.of(new Role("bridge", List.of(bridge)));
    }

    @Override
    public void close() {
        if (bridge != null) {
            Progress.log("ours: stopping (pid " + bridge.pid() + ")");
            bridge.close();
        }
    }
}
