package org.elastichadoop.iscsi.bridge;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The keys of log-volume LUNs ('standby', 'takeoverAfterSeconds', 'cache') and 'zkSessionTimeoutSeconds'. */
public class StandbyConfigTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void standbyKeysParse() throws Exception {
        Path f = dir.newFile("standby.yaml").toPath();
        Files.writeString(f, """
                zk: 10.0.0.1:2181
                zkSessionTimeoutSeconds: 10
                targets:
                  - iqn: iqn.2026-11.org.example:t
                    luns:
                      - {lun: 0, volume: data1, standby: true}
                      - {lun: 1, volume: data2, takeoverAfterSeconds: -1}
                      - {lun: 2, volume: data3}
                """);
        BridgeConfig c = ConfigLoader.load(f);
        assertEquals(Integer.valueOf(10), c.zkSessionTimeoutSeconds());
        assertEquals(Boolean.TRUE, c.targets().get(0).luns().get(0).standby());
        assertEquals(Integer.valueOf(-1), c.targets().get(0).luns().get(1).takeoverAfterSeconds());
        assertNull(c.targets().get(0).luns().get(2).standby());
    }

    @Test
    public void theCacheKeyParsesAndACacheBeyondHalfTheHeapIsRefusedByName() throws Exception {
        Path f = dir.newFile("cache.yaml").toPath();
        Files.writeString(f, """
                zk: 10.0.0.1:2181
                targets:
                  - iqn: iqn.2026-11.org.example:t
                    luns:
                      - {lun: 0, volume: data1, cache: 1G}
                """);
        assertEquals("1G", ConfigLoader.load(f).targets().get(0).luns().get(0).cache());
        String tooBig = (Runtime.getRuntime().maxMemory() >> 20) + "M";
        expectConfigError(BridgeConfig.LunConfig.ofVolume(0, "v").withCache(tooBig),
                "'targets[0].luns[0].cache' is " + tooBig + ", more than half of the bridge's heap");
        expectConfigError(BridgeConfig.LunConfig.ofVolume(0, "v").withCache("lots"), "'targets[0].luns[0].cache'");
    }

    @Test
    public void theMapCacheKeyParsesAndABadOneIsRefusedByName() throws Exception {
        Path f = dir.newFile("map-cache.yaml").toPath();
        Files.writeString(f, """
                zk: 10.0.0.1:2181
                targets:
                  - iqn: iqn.2026-11.org.example:t
                    luns:
                      - {lun: 0, volume: data1, mapCache: 32M}
                """);
        assertEquals("32M", ConfigLoader.load(f).targets().get(0).luns().get(0).mapCache());
        expectConfigError(new BridgeConfig.LunConfig(0, null, null, null, false, null, "v", null, null, null, null, "lots"),
                "'targets[0].luns[0].mapCache'");
        String tooBig = (Runtime.getRuntime().maxMemory() >> 20) + "M";
        expectConfigError(new BridgeConfig.LunConfig(0, null, null, null, false, null, "v", null, null, null, null, tooBig),
                "'targets[0].luns[0].mapCache' is " + tooBig + ", more than half of the bridge's heap");
        assertTrue(Files.readString(Path.of("..", "conf", "iscsi-bridge.yaml")).contains("mapCache:"));
    }

    @Test
    public void theShippedExampleDocumentsTheStandbyKeys() throws Exception {
        String example = Files.readString(Path.of("..", "conf", "iscsi-bridge.yaml"));
        assertTrue(example.contains("zkSessionTimeoutSeconds:"));
        assertTrue(example.contains("standby:"));
        assertTrue(example.contains("takeoverAfterSeconds:"));
        assertTrue(example.contains("cache:"));
    }

    @Test
    public void standbyOnAFileLunIsRefused() throws Exception {
        expectConfigError(new BridgeConfig.LunConfig(0, dir.getRoot() + "/f.img", "1M", 512, false, null, null, null, true, null, null),
                "'targets[0].luns[0]': 'standby' and 'takeoverAfterSeconds' apply to log volumes");
    }

    @Test
    public void aStandbyNeverTakesOverSoTakeoverAfterSecondsWithStandbyIsRefused() throws Exception {
        expectConfigError(new BridgeConfig.LunConfig(0, null, null, null, false, null, "v", null, true, 30, null),
                "'targets[0].luns[0].takeoverAfterSeconds' applies to LUNs without 'standby'");
    }

    @Test
    public void aSessionTimeoutOutOfRangeIsRefused() throws Exception {
        BridgeConfig c = new BridgeConfig("127.0.0.1:0", null, null, null, null, null, null,
                java.util.List.of(new BridgeConfig.TargetConfig("iqn.2026-11.org.example:t", null, null, null, null,
                        java.util.List.of(BridgeConfig.LunConfig.standbyOfVolume(0, "v")))), "127.0.0.1:1", 1);
        try (IscsiBridge b = IscsiBridge.start(c, "test")) {
            fail("started with a 1 s ZooKeeper session timeout");
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'zkSessionTimeoutSeconds' is 1; it must be between 2 and 300"));
        }
    }

    private void expectConfigError(BridgeConfig.LunConfig lun, String message) throws Exception {
        // the checks come before any connection: this ZooKeeper address is never dialled
        BridgeConfig c = new BridgeConfig("127.0.0.1:0", null, null, null, null, null, null,
                java.util.List.of(new BridgeConfig.TargetConfig("iqn.2026-11.org.example:t", null, null, null, null,
                        java.util.List.of(lun))), "127.0.0.1:1");
        try (IscsiBridge b = IscsiBridge.start(c, "test")) {
            fail("started with " + lun);
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }
}
