package org.elastichadoop.iscsi.bench;

import java.util.List;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * Our target on a log volume kept in the {@link LogStore}: "log" (volume {@code bench}, the segment cache of
 * --log-cache) and "uncached" (volume {@code bench-random}, --cache-mb, filled in a scattered order).
 */
final class LogVolumeTarget implements Target {
    private final String key;
    private final String volume;
    private final String cache;
    private final int port;
    private final String iqn;
    private final BenchConfig cfg;
    private final LogStore store;
    private final BridgeLauncher bridges;
    private RunningProgram bridge;

    LogVolumeTarget(String key, String volume, String cache, int port, String iqn, BenchConfig cfg, LogStore store, BridgeLauncher bridges) {
        this.key = key;
        this.volume = volume;
        this.cache = cache;
        this.port = port;
        this.iqn = iqn;
        this.cfg = cfg;
        this.store = store;
        this.bridges = bridges;
    }

    static LogVolumeTarget log(BenchConfig cfg, LogStore store, BridgeLauncher bridges) {
        return new LogVolumeTarget("log", "bench", cfg.logCache(), cfg.logPort(), cfg.iqns().log(), cfg, store, bridges);
    }

    static LogVolumeTarget uncached(BenchConfig cfg, LogStore store, BridgeLauncher bridges) {
        return new LogVolumeTarget("uncached", "bench-random", cfg.cacheMb() + "M", cfg.uncachedPort(), cfg.iqns().uncached(), cfg, store,
                bridges);
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String url() {
        return "iscsi://" + BenchConfig.HOST + ":" + port + "/" + iqn + "/0";
    }

    @Override
    public void start() throws Exception {
        store.start();
        store.createVolume(volume);
        bridge = bridges.start(key, "our " + (key.equals("log") ? "" : key + " ") + "log-volume target", List.of("--zk", store.zk(), "--volume", volume, "--cache", cache), iqn, port,
                cfg.logDir().resolve(key + "-bridge.log"));
    }

    /** The bridge, the three KV nodes and ZooKeeper: all the work a write to the volume costs on this machine. */
    @Override
    public List<Role> roles() {
        return List.of(new Role("bridge", List.of(bridge)), new Role(LogStore.NODES + " KV nodes", store.nodes()),
                new Role("ZooKeeper", List.of(store.zooKeeper())));
    }

    @Override
    public void close() {
        if (bridge != null) {
            Progress.log(key + ": stopping (pid " + bridge.pid() + ")");
            bridge.close();
            bridge = null;
        }
    }
}
