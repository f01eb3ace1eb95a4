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

/** The YAML configuration: the shipped example parses, every kind of LUN, and errors name key and file. */
public class ConfigLoaderTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void theShippedExampleParses() throws Exception {
        BridgeConfig c = ConfigLoader.load(Path.of("..", "conf", "iscsi-bridge.yaml"));
        assertEquals("127.0.0.1:3260", c.portal());
        assertEquals(Integer.valueOf(262144), c.session().maxRecvDataSegmentLength());
        assertEquals("iqn.2026-11.org.elastichadoop:disk1", c.targets().get(0).iqn());
        assertEquals("10G", c.targets().get(0).luns().get(0).size());
        assertNull(c.zk());
    }

    @Test
    public void fileAndLogVolumeLuns() throws Exception {
        Path f = dir.newFile("b.yaml").toPath();
        Files.writeString(f, """
                zk: 10.0.0.1:2181
                targets:
                  - iqn: iqn.2026-11.org.example:t
                    luns:
                      - {lun: 0, file: /tmp/x.img, size: 1G}
                      - {lun: 3, volume: data1, writeThrough: true}
                """);
        BridgeConfig c = ConfigLoader.load(f);
        assertEquals("10.0.0.1:2181", c.zk());
        BridgeConfig.LunConfig log = c.targets().get(0).luns().get(1);
        assertEquals("data1", log.volume());
        assertEquals(Boolean.TRUE, log.writeThrough());
        assertEquals(Integer.valueOf(3), log.lun());
    }

    @Test
    public void anUnknownKeyIsNamedWithTheFile() throws Exception {
        Path f = dir.newFile("bad.yaml").toPath();
        Files.writeString(f, "targets:\n  - iqn: iqn.2026-11.org.example:t\n    lunz: []\n");
        try {
            ConfigLoader.load(f);
            fail("unknown key accepted");
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(f + ": unknown key 'targets[0].lunz'"));
        }
    }
}
