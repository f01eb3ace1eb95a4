package org.elastichadoop.iscsi.it;

import org.elastichadoop.iscsi.bridge.BridgeConfig;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/** CHAP, mutual CHAP and the allowed-initiators list, with libiscsi as the initiator. */
public class ChapIT {
    private static final String ONE_WAY = "iqn.2026-11.org.elastichadoop.test:chap";
    private static final String MUTUAL = "iqn.2026-11.org.elastichadoop.test:mutual";
    private static final String GOOD = "iqn.2026-11.test:allowed";
    private static final String SECRET = "alice-secret-123";
    private static final String TARGET_SECRET = "target-secret-456";

    @ClassRule
    public static TemporaryFolder dir = new TemporaryFolder();
    private static RunningBridge bridge;

    @BeforeClass
    public static void start() throws Exception {
        BridgeConfig.ChapConfig alice = new BridgeConfig.ChapConfig("alice", SECRET);
        BridgeConfig.ChapConfig target = new BridgeConfig.ChapConfig("bridge", TARGET_SECRET);
        List<BridgeConfig.LunConfig> lun1 = List.of(new BridgeConfig.LunConfig(0, dir.getRoot() + "/a.img", "16M", 512, false, null));
        List<BridgeConfig.LunConfig> lun2 = List.of(new BridgeConfig.LunConfig(0, dir.getRoot() + "/b.img", "16M", 512, false, null));
        bridge = RunningBridge.start(List.of(
                new BridgeConfig.TargetConfig(ONE_WAY, null, List.of(GOOD), alice, null, lun1),
                new BridgeConfig.TargetConfig(MUTUAL, null, List.of(GOOD), alice, target, lun2)));
    }

    @AfterClass
    public static void stop() {
        if (bridge != null) bridge.close();
    }

    private Tool.Result inq(String initiator, String credentials, String target, String query) throws Exception {
        String url = "iscsi://" + credentials + "127.0.0.1:" + bridge.port() + "/" + target + "/0" + query;
        return Tool.run(30, "iscsi-inq", "-i", initiator, url);
    }

    @Test
    public void theRightSecretLogsIn() throws Exception {
        Tool.Result r = inq(GOOD, "alice%" + SECRET + "@", ONE_WAY, "");
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Vendor:ELASTICH"));
    }

    @Test
    public void aWrongSecretIsRefused() throws Exception {
        Tool.Result r = inq(GOOD, "alice%wrong-secret-99@", ONE_WAY, "");
        assertNotEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Authentication failure"));
    }

    @Test
    public void noCredentialsAreRefused() throws Exception {
        Tool.Result r = inq(GOOD, "", ONE_WAY, "");
        assertNotEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Authentication failure"));
    }

    @Test
    public void anInitiatorNotOnTheListIsRefusedEvenWithTheSecret() throws Exception {
        Tool.Result r = inq("iqn.2026-11.test:stranger", "alice%" + SECRET + "@", ONE_WAY, "");
        assertNotEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Authorization failure"));
    }

    @Test
    public void mutualChapProvesTheTargetToo() throws Exception {
        Tool.Result r = inq(GOOD, "alice%" + SECRET + "@", MUTUAL, "?target_user=bridge&target_password=" + TARGET_SECRET);
        assertEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Vendor:ELASTICH"));
    }

    @Test
    public void anInitiatorDetectsATargetWithTheWrongMutualSecret() throws Exception {
        Tool.Result r = inq(GOOD, "alice%" + SECRET + "@", MUTUAL, "?target_user=bridge&target_password=not-the-secret-1");
        assertNotEquals(r.toString(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("Invalid CHAP_R response from the target"));
    }
}
