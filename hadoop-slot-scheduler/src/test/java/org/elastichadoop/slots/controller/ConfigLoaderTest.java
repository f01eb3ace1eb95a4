package org.elastichadoop.slots.controller;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The controller's configuration: the shipped example loads; every mistake names its key and the file. */
public class ConfigLoaderTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void theShippedExampleLoadsWithTheDocumentedDefaults() throws Exception {
        ControllerConfig c = ConfigLoader.load(Paths.get("..", "conf", "slotctl.yaml"));
        ControllerConfig d = new ControllerConfig();
        assertEquals(d.pollSeconds, c.pollSeconds);
        assertEquals(d.refreshSeconds, c.refreshSeconds);
        assertEquals(d.policy.settings().toString(), c.policy.settings().toString());
        assertEquals(2, c.trackers.size());
        assertEquals("replay", c.trackers.get(1).source);
        assertEquals(d.yarn.vcoresPerSlot, c.yarn.vcoresPerSlot);
        assertEquals(d.yarn.memory, c.yarn.memory);
        assertEquals(d.yarn.memoryStepMb, c.yarn.memoryStepMb);
        assertEquals(d.yarn.overcommitTimeoutSeconds, c.yarn.overcommitTimeoutSeconds);
        assertEquals(d.yarn.ttlSeconds, c.yarn.ttlSeconds);
        assertEquals(d.yarn.pollSeconds, c.yarn.pollSeconds);
    }

    private void refused(String yaml, String message) throws Exception {
        Path f = dir.newFile().toPath();
        Files.write(f, yaml.getBytes(StandardCharsets.UTF_8));
        try {
            ConfigLoader.load(f);
            fail("loaded:\n" + yaml);
        } catch (ConfigException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(f + ": "));
            assertTrue(e.getMessage(), e.getMessage().contains(message));
        }
    }

    @Test
    public void mistakesAreNamed() throws Exception {
        String tracker = "trackers:\n  - host: tt1\n";
        refused("pollSecs: 5\n" + tracker, "unknown key 'pollSecs' (line 1)");
        refused("policy:\n  maxMap: 3\n" + tracker, "unknown key 'policy.maxMap'");
        refused("pollSeconds: five\n" + tracker, "bad value for 'pollSeconds'");
        refused("pollSeconds: 0\n" + tracker, "'pollSeconds' must be 1..3600");
        refused("policy:\n  targetUtilisation: 2\n" + tracker, "'policy.targetUtilisation' is 2.0");
        refused("pollSeconds: 5\n", "'trackers' lists no TaskTracker host");
        refused("trackers:\n  - host: tt1\n  - host: tt1\n", "'trackers[1].host' tt1 is listed twice");
        refused("trackers:\n  - host: tt1\n    source: snmp\n", "'trackers[0].source' must be procstat, pressure, prometheus, libvirt or replay");
        refused("trackers:\n  - host: tt1\n    source: pressure\n", "'trackers[0].capacityCores'");
        refused("trackers:\n  - host: tt1\n    source: libvirt\n", "'trackers[0].uri'");
        refused("trackers:\n  - host: tt1\n    source: libvirt\n    uri: qemu:///system\n", "'trackers[0].domains'");
        refused("trackers:\n  - host: tt1\n    source: prometheus\n    url: tt1:9100\n", "'trackers[0].url'");
        refused("trackers:\n  - host: tt1\n    source: replay\n", "'trackers[0].file' is required");
        refused("trackers:\n  - host: tt1\n    mode: hypervisor\n", "'trackers[0].mode' must be guest or host");
        refused("yarn:\n  vcoresPerSlot: 0\n" + tracker, "'yarn.vcoresPerSlot' must be 1..64");
        refused("yarn:\n  memory: half\n" + tracker, "'yarn.memory' must be scale or keep");
        refused("yarn:\n  overcommitTimeoutSeconds: -2\n" + tracker, "'yarn.overcommitTimeoutSeconds' must be -1");
        refused("yarn:\n  overcommitTimeoutSeconds: 86401\n" + tracker, "'yarn.overcommitTimeoutSeconds' must be -1 (never preempt) or 0..86400");
        refused("yarn:\n  ttlSeconds: 30\n" + tracker, "'yarn.ttlSeconds' (30) must be more than 'refreshSeconds' (30)");
        refused("yarn:\n  rmAddress: rm1\n" + tracker, "unknown key 'yarn.rmAddress'");
        refused("refreshSeconds: 1\npollSeconds: 5\n" + tracker, "'refreshSeconds' (1) must be at least 'pollSeconds' (5)");
    }
}
