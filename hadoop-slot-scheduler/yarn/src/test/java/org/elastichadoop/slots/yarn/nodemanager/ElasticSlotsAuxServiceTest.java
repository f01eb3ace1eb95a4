package org.elastichadoop.slots.yarn.nodemanager;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.service.Service;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The NodeManager side never fails the NodeManager; the process tree's CPU comes from /proc. */
public class ElasticSlotsAuxServiceTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void withoutItsZooKeeperTheServiceIdlesAndTheNodeManagerStarts() {
        ElasticSlotsAuxService s = new ElasticSlotsAuxService();
        s.init(new Configuration(false));
        s.start();
        assertEquals(Service.STATE.STARTED, s.getServiceState());
        assertTrue(s.isIdle());
        s.report(); // idle: nothing to report with, and nothing thrown
        s.stop();
    }

    @Test
    public void aProcWithoutItsOwnProcessIdlesTooAndABadPeriodIsNamed() throws Exception {
        Configuration conf = new Configuration(false);
        conf.set(NodeManagerSettings.ZK, "127.0.0.1:1");
        ElasticSlotsAuxService s = new ElasticSlotsAuxService(dir.getRoot().toPath());
        s.init(conf);
        s.start();
        assertTrue(s.isIdle());
        s.stop();
        conf.set(NodeManagerSettings.REPORT_SECONDS, "0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeManagerSettings.from(conf));
        assertEquals("yarn-site.xml: 'elastic.slots.report.seconds' must be 1 or more, not 0", e.getMessage());
    }

    @Test
    public void statLinesWithSpacesAndParenthesesInTheNameParse() throws Exception {
        Path stat = dir.newFile().toPath();
        Files.write(stat, "4242 (java (worker) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1000 0 0\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new long[] {17, 325}, ProcessTreeCpu.statOf(stat));
        Files.write(stat, "garbage".getBytes(StandardCharsets.US_ASCII));
        assertNull(ProcessTreeCpu.statOf(stat));
        assertNull(ProcessTreeCpu.statOf(dir.getRoot().toPath().resolve("gone")));
    }

    @Test
    public void thisJvmsTreeHasTicksAndItsChildrenCount() throws Exception {
        long self = Long.parseLong(Paths.get("/proc/self").toRealPath().getFileName().toString());
        Process child = new ProcessBuilder("sleep", "5").start();
        try {
            long[] t = new ProcessTreeCpu(Paths.get("/proc"), self).ticksAndProcesses();
            assertTrue("some CPU used by this JVM: " + t[0], t[0] > 0);
            assertTrue("this JVM and its child: " + t[1], t[1] >= 2);
        } finally {
            child.destroy();
        }
    }
}
