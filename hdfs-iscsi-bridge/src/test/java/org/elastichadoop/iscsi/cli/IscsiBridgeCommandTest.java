package org.elastichadoop.iscsi.cli;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.junit.Test;
import picocli.CommandLine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The quick form's --standby. */
public class IscsiBridgeCommandTest {

    private static IscsiBridgeCommand.Loaded parse(String... args) throws Exception {
        IscsiBridgeCommand c = new IscsiBridgeCommand();
        new CommandLine(c).parseArgs(args);
        return c.load();
    }

    @Test
    public void standbyMakesTheQuickFormLogVolumeLunAStandby() throws Exception {
        BridgeConfig c = parse("--zk", "10.0.0.1:2181", "--volume", "data1", "--iqn", "iqn.2026-11.org.example:t",
                "--port", "3261", "--standby").config();
        BridgeConfig.LunConfig lun = c.targets().get(0).luns().get(0);
        assertEquals("data1", lun.volume());
        assertEquals(Boolean.TRUE, lun.standby());
        assertEquals("10.0.0.1:2181", c.zk());
        assertEquals("127.0.0.1:3261", c.portal());
    }

    @Test
    public void withoutStandbyTheLunServesAtOnce() throws Exception {
        BridgeConfig.LunConfig lun = parse("--zk", "h:1", "--volume", "data1", "--iqn", "iqn.2026-11.org.example:t")
                .config().targets().get(0).luns().get(0);
        assertNull(lun.standby());
        assertNull(lun.takeoverAfterSeconds());
    }

    @Test
    public void standbyNeedsALogVolume() throws Exception {
        try {
            parse("--file-volume", "/tmp/x.img", "--size", "1M", "--iqn", "iqn.2026-11.org.example:t", "--standby");
            fail("--standby accepted with a file volume");
        } catch (UserException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("--standby goes with a log volume"));
        }
    }
}
