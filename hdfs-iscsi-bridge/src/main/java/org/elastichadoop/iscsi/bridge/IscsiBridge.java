package org.elastichadoop.iscsi.bridge;

import org.apache.curator.framework.CuratorFramework;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun;
import org.elastichadoop.iscsi.bridge.standby.WriterId;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.scsi.DeviceIdentity;
import org.elastichadoop.iscsi.scsi.ScsiTarget;
import org.elastichadoop.iscsi.session.AccessPolicy;
import org.elastichadoop.iscsi.session.Credentials;
import org.elastichadoop.iscsi.session.ExportedTarget;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.SessionRegistry;
import org.elastichadoop.iscsi.session.TargetSettings;
import org.elastichadoop.iscsi.volume.BlockVolume;
import org.elastichadoop.iscsi.store.ImmutableStore;
import org.elastichadoop.iscsi.volume.FileVolume;
import org.elastichadoop.iscsi.volume.log.LogVolume;
import org.elastichadoop.iscsi.volume.log.LogVolumeOptions;
import org.elastichadoop.iscsi.volume.log.VolumeCatalog;
import org.elastichadoop.iscsi.volume.log.VolumeRecord;
import org.elastichadoop.iscsi.volume.log.ZkVolumeCatalog;
import org.elastichadoop.kv.cluster.Zk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A running bridge: the volumes and logical units of every configured target, the iSCSI portal
 * serving them, and the status endpoint.
 */
public final class IscsiBridge implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IscsiBridge.class);
    private static final Pattern IQN = Pattern.compile("(iqn\\.\\d{4}-\\d{2}\\.[^\\s]+|eui\\.[0-9A-Fa-f]{16}|naa\\.[0-9A-Fa-f]{16,32})");

    private final List<BlockVolume> volumes = new ArrayList<>();
    private final List<VolumeLun> volumeLuns = new ArrayList<>();
    private final String zk;
    private final int zkSessionTimeoutSeconds;
    private final WriterId writerId;
    private CuratorFramework zkClient;
    private VolumeStores stores;
    private VolumeCatalog catalog;
    private final List<ExportedTarget> exported = new ArrayList<>();
    private final SessionRegistry sessions = new SessionRegistry();
    private final ExecutorService io;
    private final IscsiPortal portal;
    private final StatusServer status;

    private IscsiBridge(BridgeConfig config, String source) throws ConfigException, IOException, InterruptedException {
        Defaults d = new Defaults(config);
        d.validate(source);
        this.zk = config.zk();
        this.zkSessionTimeoutSeconds = d.zkSessionTimeoutSeconds;
        this.writerId = WriterId.ofThisProcess(d.portal);
        AtomicInteger threadId = new AtomicInteger();
        io = Executors.newFixedThreadPool(d.ioThreads, r -> {
            Thread t = new Thread(r, "volume-io-" + threadId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        boolean started = false;
        try {
            List<BridgeConfig.TargetConfig> targets = config.targets() == null ? List.of() : config.targets();
            if (targets.isEmpty()) throw new ConfigException(source + ": 'targets' lists no target");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < targets.size(); i++) {
                BridgeConfig.TargetConfig t = targets.get(i);
                String key = "targets[" + i + "]";
                if (t.iqn() == null || !IQN.matcher(t.iqn()).matches()) {
                    throw new ConfigException(source + ": '" + key + ".iqn' must be an iSCSI name such as "
                            + "iqn.2026-11.org.example:disk1, not " + t.iqn());
                }
                if (!names.add(t.iqn())) throw new ConfigException(source + ": target " + t.iqn() + " is listed twice");
                exported.add(export(t, key, source, d.portalGroupTag));
            }
            Targets directory = new Targets(exported, access(config.discovery() == null ? null : config.discovery().chap(),
                    config.discovery() == null ? null : config.discovery().mutualChap(), List.of(), "discovery", source),
                    d.portalGroupTag, config.advertisedAddress());
            portal = new IscsiPortal(address(d.portal, "portal", source), directory, sessions, d.settings,
                    d.loginTimeoutSeconds, 2);
            status = d.status == null || d.status.isEmpty() ? null : new StatusServer(address(d.status, "status", source), this);
            started = true;
        } finally {
            if (!started) closeVolumes();
        }
    }

    public static IscsiBridge start(BridgeConfig config, String source) throws ConfigException, IOException, InterruptedException {
        return new IscsiBridge(config, source);
    }

    private ExportedTarget export(BridgeConfig.TargetConfig t, String key, String source, int tpgt) throws ConfigException, IOException {
        List<BridgeConfig.LunConfig> luns = t.luns() == null ? List.of() : t.luns();
        if (luns.isEmpty()) throw new ConfigException(source + ": '" + key + ".luns' lists no LUN");
        String portName = t.iqn() + ",t,0x" + String.format("%04x", tpgt);
        ScsiTarget scsi = new ScsiTarget(DeviceIdentity.of(serialFor(t.iqn(), 0xffff), portName, false));
        for (int j = 0; j < luns.size(); j++) {
            BridgeConfig.LunConfig l = luns.get(j);
            String lkey = key + ".luns[" + j + "]";
            long lun = l.lun() == null ? j : l.lun();
            if (lun < 0 || lun > 16383) throw new ConfigException(source + ": '" + lkey + ".lun' must be 0..16383");
            if (scsi.unit(lun) != null) throw new ConfigException(source + ": '" + lkey + ".lun' " + lun + " is used twice");
            boolean readOnly = Boolean.TRUE.equals(l.readOnly());
            if (l.volume() != null) {
                if (l.file() != null) throw new ConfigException(source + ": '" + lkey + "' has both 'file' and 'volume'; give one");
                String serial = l.serial() != null ? l.serial() : serialFor(t.iqn() + "/" + l.volume(), lun);
                DeviceIdentity identity = DeviceIdentity.of(serial, portName, readOnly);
                VolumeLun v = serveLogVolume(t.iqn(), lun, l, identity, lkey, source);
                volumeLuns.add(v);
                scsi.addUnit(lun, v.unit());
                VolumeLun.Status st = v.status();
                LOG.info("Target {} LUN {}: {}{} ({})", t.iqn(), lun, st.detail(), readOnly ? ", read-only" : "", st.role().label());
                continue;
            }
            if (l.standby() != null || l.takeoverAfterSeconds() != null) {
                throw new ConfigException(source + ": '" + lkey + "': 'standby' and 'takeoverAfterSeconds' apply to log volumes "
                        + "('volume'), not to 'file' LUNs");
            }
            if (l.file() == null) throw new ConfigException(source + ": '" + lkey + "' needs 'file' (a backing file) or 'volume' (a log volume's name)");
            if (l.size() == null) throw new ConfigException(source + ": '" + lkey + ".size' is missing (e.g. 10G)");
            long size;
            try {
                size = Sizes.parse(l.size());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": '" + lkey + ".size': " + e.getMessage());
            }
            int blockSize = l.blockSize() == null ? 512 : l.blockSize();
            if (blockSize != 512 && blockSize != 4096) throw new ConfigException(source + ": '" + lkey + ".blockSize' must be 512 or 4096");
            if (size % blockSize != 0) throw new ConfigException(source + ": '" + lkey + ".size' must be a multiple of blockSize " + blockSize);
            BlockVolume volume;
            try {
                volume = FileVolume.open(Path.of(l.file()), size, blockSize);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(source + ": '" + lkey + ".file' " + l.file() + ": " + e.getMessage());
            }
            volumes.add(volume);
            String serial = l.serial() != null ? l.serial() : serialFor(t.iqn(), lun);
            scsi.addUnit(lun, new BlockDevice(volume, DeviceIdentity.of(serial, portName, readOnly), io));
            LOG.info("Target {} LUN {}: {} ({} blocks of {} bytes{})", t.iqn(), lun, volume.describe(), volume.blockCount(),
                    blockSize, readOnly ? ", read-only" : "");
        }
        AccessPolicy access = access(t.chap(), t.mutualChap(), t.allowedInitiators(), key, source);
        return new ExportedTarget(t.iqn(), t.alias(), access, scsi);
    }

    /**
     * Serves a log-structured volume through its writer election: at once (taking it over with a new
     * writer epoch) unless another bridge holds it, or as a standby that takes over when the writer goes.
     */
    private VolumeLun serveLogVolume(String iqn, long lun, BridgeConfig.LunConfig l, DeviceIdentity identity, String lkey,
                                     String source) throws ConfigException, IOException {
        if (zk == null) {
            throw new ConfigException(source + ": '" + lkey + ".volume' needs 'zk' (the ZooKeeper of the zk-kv-store cluster)");
        }
        if (l.size() != null || l.blockSize() != null) {
            throw new ConfigException(source + ": '" + lkey + "': a log volume's size and block size come from the volume itself "
                    + "(iscsi-bridge volume create/resize); remove 'size' and 'blockSize'");
        }
        boolean standby = Boolean.TRUE.equals(l.standby());
        Integer takeover = l.takeoverAfterSeconds();
        if (takeover != null && standby) {
            throw new ConfigException(source + ": '" + lkey + ".takeoverAfterSeconds' applies to LUNs without 'standby' "
                    + "(a standby never takes a volume from a live writer); remove one of them");
        }
        if (takeover != null && takeover < -1) {
            throw new ConfigException(source + ": '" + lkey + ".takeoverAfterSeconds' must be -1 (wait as long as it takes), "
                    + "0 (at once) or a number of seconds, not " + takeover);
        }
        long cacheBytes = cacheBytes(l.cache(), Math.min(LogVolumeOptions.DEFAULT_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 4),
                lkey + ".cache", source);
        long mapCacheBytes = cacheBytes(l.mapCache(), Math.min(LogVolumeOptions.DEFAULT_MAP_CACHE_BYTES, Runtime.getRuntime().maxMemory() / 4),
                lkey + ".mapCache", source);
        Duration session = Duration.ofSeconds(zkSessionTimeoutSeconds);
        Duration takeoverAfter = takeover == null ? session.plusSeconds(5) : takeover == -1 ? null : Duration.ofSeconds(takeover);
        try {
            if (stores == null) {
                zkClient = Zk.connect(zk, (int) session.toMillis(), ZkVolumeCatalog.DEFAULT_CONNECT_WAIT_MS);
                catalog = new ZkVolumeCatalog(zkClient);
                stores = new VolumeStores(zk);
                logSession();
            }
            VolumeRecord record = catalog.read(l.volume()).orElseThrow(() -> new IOException("no volume named '" + l.volume()
                    + "'; create it with 'iscsi-bridge volume create'")).record();
            LogVolumeOptions options = LogVolumeOptions.defaults().withWriteThrough(Boolean.TRUE.equals(l.writeThrough()))
                    .withCacheBytes(cacheBytes).withMapCacheBytes(mapCacheBytes);
            ImmutableStore s = stores.forVolume(record);
            VolumeCatalog c = catalog;
            return VolumeLun.start(new VolumeLun.Settings(iqn, lun, l.volume(), s.describe(), standby, takeoverAfter, session), zkClient,
                    record.blockSize(), record.sizeBytes(), () -> LogVolume.open(s, c, l.volume(), options),
                    volume -> new BlockDevice(volume, identity, io), writerId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + zk);
        } catch (RuntimeException e) {
            throw new ConfigException(source + ": '" + lkey + ".volume' " + l.volume() + ": " + e.getMessage());
        }
    }

    /** A LUN's cache size: its key's value (at most half of this JVM's heap), or {@code otherwise} when not given. */
    private static long cacheBytes(String size, long otherwise, String key, String source) throws ConfigException {
        if (size == null) return otherwise;
        long bytes;
        try {
            bytes = Sizes.parse(size);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": '" + key + "' " + e.getMessage());
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 2) {
            throw new ConfigException(source + ": '" + key + "' is " + size + ", more than half of the bridge's heap ("
                    + (heap >> 20) + " MiB): lower it, or give the bridge more heap (BRIDGE_JAVA_OPTS=-Xmx...)");
        }
        return bytes;
    }

    private void logSession() {
        try {
            var z = zkClient.getZookeeperClient().getZooKeeper();
            LOG.info("ZooKeeper {}: session 0x{}, timeout {} ms (a standby takes over a dead writer's volumes after about this long)",
                    zk, Long.toHexString(z.getSessionId()), z.getSessionTimeout());
        } catch (Exception e) {
            LOG.debug("ZooKeeper session details: {}", e.toString());
        }
    }

    private static String serialFor(String iqn, long lun) {
        return String.format("%08x%04x", iqn.hashCode(), lun);
    }

    private static AccessPolicy access(BridgeConfig.ChapConfig chap, BridgeConfig.ChapConfig mutual, List<String> allowed,
                                       String key, String source) throws ConfigException {
        Credentials c = credentials(chap, key + ".chap", source);
        Credentials m = credentials(mutual, key + ".mutualChap", source);
        if (m != null && c == null) throw new ConfigException(source + ": '" + key + ".mutualChap' needs '" + key + ".chap' too");
        if (m != null && m.secret().equals(c.secret())) {
            throw new ConfigException(source + ": '" + key + ".mutualChap.secret' must differ from the initiator's CHAP secret");
        }
        return new AccessPolicy(allowed == null ? Set.of() : new LinkedHashSet<>(allowed), c, m);
    }

    private static Credentials credentials(BridgeConfig.ChapConfig chap, String key, String source) throws ConfigException {
        if (chap == null) return null;
        if (chap.user() == null || chap.user().isEmpty()) throw new ConfigException(source + ": '" + key + ".user' is missing");
        if (chap.secret() == null || chap.secret().length() < 12) {
            throw new ConfigException(source + ": '" + key + ".secret' must have at least 12 characters (RFC 7143 section 12.1.3)");
        }
        return new Credentials(chap.user(), chap.secret());
    }

    static InetSocketAddress address(String hostPort, String key, String source) throws ConfigException {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon < 0) return new InetSocketAddress("0.0.0.0", Integer.parseInt(hostPort));
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": '" + key + "' must be HOST:PORT, not " + hostPort);
        }
    }

    public InetSocketAddress portalAddress() {
        return portal.address();
    }

    public InetSocketAddress statusAddress() {
        return status == null ? null : status.address();
    }

    public List<ExportedTarget> targets() {
        return List.copyOf(exported);
    }

    public List<Session> sessions() {
        return sessions.all();
    }

    /** The log-volume LUNs and their writer election. */
    public List<VolumeLun> volumeLuns() {
        return List.copyOf(volumeLuns);
    }

    /** The log-volume LUN {@code lun} of target {@code iqn}, or null (no such LUN, or a file LUN). */
    public VolumeLun volumeLun(String iqn, long lun) {
        for (VolumeLun v : volumeLuns) {
            if (v.settings().target().equals(iqn) && v.settings().lun() == lun) return v;
        }
        return null;
    }

    @Override
    public void close() {
        List<Session> open = sessions.all();
        if (!open.isEmpty()) {
            // ask initiators to log out first, so they leave cleanly and come back when we are up again
            LOG.info("Shutting down: asking {} session(s) to log out", open.size());
            open.forEach(Session::requestLogout);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(Session.LOGOUT_GRACE_SECONDS);
            while (!sessions.all().isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!sessions.all().isEmpty()) {
                LOG.info("Closing {} session(s) that did not log out within {} s", sessions.all().size(), Session.LOGOUT_GRACE_SECONDS);
            }
        }
        if (status != null) status.close();
        sessions.closeAll();
        portal.close();
        exported.forEach(t -> t.scsi().close());
        closeVolumes();
        io.shutdownNow();
    }

    private void closeVolumes() {
        for (BlockVolume v : volumes) {
            try {
                v.close();
            } catch (IOException e) {
                LOG.warn("Closing {} failed: {}", v.describe(), e.getMessage());
            }
        }
        // log volumes: closed (flushed) before their writer latch is released, so a standby finds everything stored
        volumeLuns.forEach(VolumeLun::close);
        if (stores != null) stores.close();
        if (catalog != null) catalog.close();
        if (zkClient != null) zkClient.close();
    }

    /** Resolved settings with their defaults. */
    private static final class Defaults {
        final String portal;
        final String status;
        final int portalGroupTag;
        final int ioThreads;
        final int loginTimeoutSeconds;
        final int zkSessionTimeoutSeconds;
        final TargetSettings settings;

        Defaults(BridgeConfig c) {
            portal = c.portal() == null ? "127.0.0.1:3260" : c.portal();
            zkSessionTimeoutSeconds = c.zkSessionTimeoutSeconds() == null ? 15 : c.zkSessionTimeoutSeconds();
            status = c.status();
            portalGroupTag = c.portalGroupTag() == null ? 1 : c.portalGroupTag();
            ioThreads = c.ioThreads() == null ? 8 : c.ioThreads();
            BridgeConfig.SessionConfig s = c.session();
            TargetSettings def = TargetSettings.defaults();
            if (s == null) {
                settings = def;
                loginTimeoutSeconds = 30;
                return;
            }
            settings = new TargetSettings(
                    or(s.maxRecvDataSegmentLength(), def.maxRecvDataSegmentLength()),
                    or(s.maxBurstLength(), def.maxBurstLength()),
                    or(s.firstBurstLength(), def.firstBurstLength()),
                    or(s.initialR2T(), def.initialR2T()),
                    or(s.immediateData(), def.immediateData()),
                    or(s.maxOutstandingR2T(), def.maxOutstandingR2T()),
                    or(s.headerDigest(), def.headerDigest()),
                    or(s.dataDigest(), def.dataDigest()),
                    or(s.commandWindow(), def.commandWindow()),
                    or(s.nopIntervalSeconds(), def.nopIntervalSeconds()),
                    or(s.nopTimeoutSeconds(), def.nopTimeoutSeconds()));
            loginTimeoutSeconds = or(s.loginTimeoutSeconds(), 30);
        }

        void validate(String source) throws ConfigException {
            range(source, "session.maxRecvDataSegmentLength", settings.maxRecvDataSegmentLength(), 512, (1 << 24) - 1);
            range(source, "session.maxBurstLength", settings.maxBurstLength(), 512, (1 << 24) - 1);
            range(source, "session.firstBurstLength", settings.firstBurstLength(), 512, settings.maxBurstLength());
            range(source, "session.maxOutstandingR2T", settings.maxOutstandingR2T(), 1, 65535);
            range(source, "session.commandWindow", settings.commandWindow(), 1, 65535);
            range(source, "session.nopIntervalSeconds", settings.nopIntervalSeconds(), 0, 3600);
            range(source, "session.nopTimeoutSeconds", settings.nopTimeoutSeconds(), 1, 3600);
            range(source, "session.loginTimeoutSeconds", loginTimeoutSeconds, 1, 3600);
            range(source, "portalGroupTag", portalGroupTag, 1, 65535);
            range(source, "ioThreads", ioThreads, 1, 1024);
            range(source, "zkSessionTimeoutSeconds", zkSessionTimeoutSeconds, 2, 300);
        }

        private static void range(String source, String key, int value, int min, int max) throws ConfigException {
            if (value < min || value > max) {
                throw new ConfigException(source + ": '" + key + "' is " + value + "; it must be between " + min + " and " + max);
            }
        }

        private static <T> T or(T value, T fallback) {
            return value == null ? fallback : value;
        }
    }
}
