package org.elastichadoop.iscsi.cli;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.elastichadoop.iscsi.bridge.ConfigException;
import org.elastichadoop.iscsi.bridge.ConfigLoader;
import org.elastichadoop.iscsi.bridge.IscsiBridge;
import org.elastichadoop.iscsi.bridge.PortalException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code iscsi-bridge}: serves iSCSI targets from a configuration file, or one file-backed LUN
 * given on the command line; {@code iscsi-bridge status} shows what a running bridge serves.
 */
@Command(name = "iscsi-bridge", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {StatusCommand.class, VolumeCommand.class},
        description = {"Serves block volumes as iSCSI targets (RFC 7143).",
                "Either --config FILE, or a quick form: --file-volume PATH --size SIZE --iqn IQN,",
                "or --zk HOST:PORT --volume NAME --iqn IQN [--standby] (a log volume on zk-kv-store)."})
public final class IscsiBridgeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (see conf/iscsi-bridge.yaml).")
    Path config;

    @Option(names = "--file-volume", paramLabel = "PATH", description = "Quick form: backing file of LUN 0 (created sparse if missing).")
    Path fileVolume;

    @Option(names = "--size", paramLabel = "SIZE", description = "Quick form: volume size, e.g. 1G or 512M.")
    String size;

    @Option(names = "--volume", paramLabel = "NAME", description = "Quick form: serve this log volume as LUN 0 (needs --zk).")
    String volume;

    @Option(names = "--zk", paramLabel = "HOST:PORT", description = "ZooKeeper of the zk-kv-store cluster holding log volumes.")
    String zk;

    @Option(names = "--standby", description = {"Quick form with --volume: serve the volume only while this bridge is its elected",
            "writer; until then its LUN answers NOT READY (standby) and the bridge takes over when the writer dies."})
    boolean standby;

    @Option(names = "--cache", paramLabel = "SIZE", description = {"Quick form with --volume: the log volume's segment cache in memory, e.g. 1G",
            "(default 512M, at most half the heap)."})
    String cache;

    @Option(names = "--iqn", paramLabel = "IQN", description = "Quick form: the target's iSCSI name.")
    String iqn;

    @Option(names = "--block-size", defaultValue = "512", description = "Quick form: 512 or 4096 (default ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--portal", paramLabel = "ADDRESS", description = "Listen address (default 127.0.0.1, or the config's portal).")
    String portalHost;

    @Option(names = "--port", description = "Listen port (default 3260, or the config's portal).")
    Integer port;

    @Option(names = "--status", paramLabel = "HOST:PORT", description = "Status/metrics HTTP endpoint (quick form default 127.0.0.1:3270; 'off' disables).")
    String status;

    @Option(names = "--chap-user", description = "Quick form: require CHAP with this user...")
    String chapUser;

    @Option(names = "--chap-secret", description = "...and this secret (12 characters or more).")
    String chapSecret;

    @Option(names = "--allow-initiator", paramLabel = "IQN", description = "Quick form: only these initiators may log in (repeatable).")
    List<String> allowed;

    public static void main(String[] args) {
        System.exit(Cli.run(new IscsiBridgeCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Loaded loaded = load();
        IscsiBridge bridge;
        try {
            bridge = IscsiBridge.start(loaded.config(), loaded.source());
        } catch (ConfigException e) {
            throw new UserException(e.getMessage());
        } catch (PortalException e) {
            throw new UserException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                bridge.close();
            } finally {
                stopped.countDown();
                org.apache.logging.log4j.LogManager.shutdown();
            }
        }, "shutdown"));
        System.out.println("iscsi-bridge ready: portal " + bridge.portalAddress().getHostString() + ":" + bridge.portalAddress().getPort()
                + ", targets " + bridge.targets().stream().map(t -> t.name()).toList()
                + (bridge.statusAddress() == null ? "" : ", status http://" + bridge.statusAddress().getHostString() + ":" + bridge.statusAddress().getPort() + "/status"));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The configuration the options describe (a file or the quick form), with --portal/--port/--status/--zk applied. */
    Loaded load() throws UserException {
        BridgeConfig cfg;
        String source;
        if (config != null) {
            if (fileVolume != null || iqn != null || size != null || volume != null || standby || cache != null) {
                throw new UserException("give either --config or a quick form (--file-volume/--volume, --iqn, --standby), not both;"
                        + " in a file, 'standby: true' goes on the LUN");
            }
            try {
                cfg = ConfigLoader.load(config);
            } catch (ConfigException e) {
                throw new UserException(e.getMessage());
            }
            source = config.toString();
        } else {
            BridgeConfig.LunConfig lun;
            if (volume != null) {
                if (zk == null || iqn == null || fileVolume != null) {
                    throw new UserException("the log-volume quick form is --zk HOST:PORT --volume NAME --iqn IQN [--standby] (see --help)");
                }
                lun = standby ? BridgeConfig.LunConfig.standbyOfVolume(0, volume) : BridgeConfig.LunConfig.ofVolume(0, volume);
                if (cache != null) lun = lun.withCache(cache);
            } else {
                if (standby) throw new UserException("--standby goes with a log volume (--zk HOST:PORT --volume NAME), not --file-volume");
                if (cache != null) throw new UserException("--cache goes with a log volume (--zk HOST:PORT --volume NAME), not --file-volume");
                if (fileVolume == null || size == null || iqn == null) {
                    throw new UserException("need --config FILE, or --file-volume PATH --size SIZE --iqn IQN, "
                            + "or --zk HOST:PORT --volume NAME --iqn IQN (see --help)");
                }
                lun = new BridgeConfig.LunConfig(0, fileVolume.toString(), size, blockSize, false, null);
            }
            BridgeConfig.ChapConfig chap = chapUser == null && chapSecret == null ? null
                    : new BridgeConfig.ChapConfig(chapUser, chapSecret);
            cfg = new BridgeConfig("127.0.0.1:3260", null, null, "127.0.0.1:3270", null, null, null,
                    List.of(new BridgeConfig.TargetConfig(iqn, null, allowed, chap, null, List.of(lun))), zk);
            source = "the command line";
        }
        return new Loaded(withOverrides(cfg), source);
    }

    /** A configuration and where it came from (for error messages). */
    record Loaded(BridgeConfig config, String source) {}

    private BridgeConfig withOverrides(BridgeConfig c) {
        String portal = c.portal() == null ? "127.0.0.1:3260" : c.portal();
        int colon = portal.lastIndexOf(':');
        String host = colon < 0 ? "0.0.0.0" : portal.substring(0, colon);
        String portText = colon < 0 ? portal : portal.substring(colon + 1);
        if (portalHost != null) host = portalHost;
        if (port != null) portText = Integer.toString(port);
        String statusAddress = c.status();
        if (status != null) statusAddress = status.equals("off") ? null : status;
        return new BridgeConfig(host + ":" + portText, c.advertisedAddress(), c.portalGroupTag(), statusAddress, c.ioThreads(),
                c.session(), c.discovery(), c.targets(), zk != null ? zk : c.zk(), c.zkSessionTimeoutSeconds());
    }

}
