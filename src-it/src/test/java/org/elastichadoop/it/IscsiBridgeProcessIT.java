package org.elastichadoop.it;

import org.elastichadoop.kv.procs.RunningProgram;
import org.junit.After;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * bin/iscsi-bridge as an operator runs it: the quick form serving a file, libiscsi's tools against
 * it, {@code status} listing the initiator while it has a session, and one-line errors for a bad
 * configuration and a busy port.
 */
public class IscsiBridgeProcessIT {
    private static final String IQN = "iqn.2026-11.org.elastichadoop.it:quick";
    private RunningProgram bridge;

    @After
    public void stop() throws Exception {
        if (bridge != null) {
            bridge.stop(Duration.ofSeconds(20));
        }
    }

    @Test
    public void quickFormServesAFileAndStatusShowsTheSession() throws Exception {
        int port = Programs.freePort();
        int statusPort = Programs.freePort();
        Path file = Programs.WORK.resolve("quick.img");
        Files.createDirectories(Programs.WORK);
        Files.deleteIfExists(file);
        bridge = Programs.program("iscsi-bridge-quick", Map.of(), "iscsi-bridge", "--file-volume", file.toString(),
                "--size", "64M", "--iqn", IQN, "--port", Integer.toString(port), "--status", "127.0.0.1:" + statusPort).start();
        bridge.awaitLine("iscsi-bridge ready", Duration.ofSeconds(60));
        assertTrue("the backing file is created", Files.exists(file));
        assertEquals(64L << 20, Files.size(file));

        String url = "iscsi://127.0.0.1:" + port + "/" + IQN + "/0";
        Process capacity = new ProcessBuilder("iscsi-readcapacity16", url).redirectErrorStream(true).start();
        String cap = new String(capacity.getInputStream().readAllBytes());
        assertEquals(cap, 0, capacity.waitFor());
        assertTrue(cap, cap.contains("Total size:" + (64L << 20)));

        // a session held open by a load generator shows up in status, with its initiator name
        Process load = new ProcessBuilder("iscsi-perf", "-i", "iqn.2026-11.it:status-check", "-t", "6", "-m", "4", url)
                .redirectErrorStream(true).start();
        try {
            String status = "";
            long end = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < end && !status.contains("iqn.2026-11.it:status-check")) {
                Thread.sleep(200);
                status = Programs.run(Map.of(), null, "iscsi-bridge", "status", "--status", "127.0.0.1:" + statusPort).text();
            }
            assertTrue(status, status.contains("target " + IQN));
            assertTrue(status, status.contains("lun 0"));
            assertTrue(status, status.matches("(?s).*session \\d+\\s+iqn\\.2026-11\\.it:status-check.*"));
            Programs.Result json = Programs.run(Map.of(), null, "iscsi-bridge", "status", "--json", "--status", "127.0.0.1:" + statusPort);
            assertEquals(json.err(), 0, json.exit());
            assertTrue(json.text(), json.text().contains("\"iqn\" : \"" + IQN + "\""));
        } finally {
            load.destroy();
            load.waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(Programs.WORK.resolve("logs").resolve("iscsi-bridge-quick.log"));
        assertTrue(log, log.contains("iqn.2026-11.it:status-check (no alias) logged in to " + IQN));
    }

    @Test
    public void aBadConfigKeyIsNamedWithItsFile() throws Exception {
        Path config = Programs.WORK.resolve("bad-bridge.yaml");
        Files.createDirectories(Programs.WORK);
        Files.writeString(config, "portal: 127.0.0.1:3999\ntargets:\n  - iqn: iqn.2026-11.org.example:x\n    lunz: []\n");
        Programs.Result r = Programs.run(Map.of(), null, "iscsi-bridge", "--config", config.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err(), r.err().contains(config + ": unknown key 'targets[0].lunz'"));
        assertEquals("one line, no stack trace: " + r.err(), 1, r.err().strip().lines().count());
    }

    @Test
    public void aBusyPortIsReportedInOneLine() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path file = Programs.WORK.resolve("busy.img");
            Files.createDirectories(Programs.WORK);
            Programs.Result r = Programs.run(Map.of(), null, "iscsi-bridge", "--file-volume", file.toString(), "--size", "16M",
                    "--iqn", IQN, "--port", Integer.toString(busy.getLocalPort()), "--status", "off");
            assertNotEquals(0, r.exit());
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(r.err(), last.startsWith("error: cannot listen on"));
            assertTrue(r.err(), last.contains("Address already in use"));
            assertTrue("no stack trace: " + r.err(), !r.err().contains("\tat "));
        }
    }
}
