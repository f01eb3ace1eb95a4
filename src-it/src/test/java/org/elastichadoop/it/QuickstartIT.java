package org.elastichadoop.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.After;
import org.junit.Test;

/** bin/quickstart on this machine, then bin/kvctl against it, as the README tells a newcomer. */
public class QuickstartIT {
    private static final int ISCSI_PORT = 13260;
    private Path dir;

    @Test
    public void quickstartRunsAClusterThatKvctlUses() throws Exception {
        dir = Programs.WORK.resolve("quickstart-" + System.nanoTime());
        int zkPort = Programs.freePort();
        int kvPort = 17401;
        Map<String, String> env = Map.of("QS_DIR", dir.toString(), "QS_ZK_PORT", Integer.toString(zkPort),
                "QS_KV_PORT", Integer.toString(kvPort), "QS_ISCSI_PORT", Integer.toString(ISCSI_PORT),
                "QS_EXIT_WHEN_READY", "1");
        Programs.Result qs = Programs.run(env, null, "quickstart");
        assertEquals("quickstart: " + qs.text() + qs.err(), 0, qs.exit());
        assertTrue(qs.text(), qs.text().contains("bin/kvctl --zk 127.0.0.1:" + zkPort + " put greeting"));

        String zk = "127.0.0.1:" + zkPort;
        Programs.Result put = Programs.run(Map.of(), "hello, cluster\n".getBytes(StandardCharsets.UTF_8), "kvctl", "--zk", zk, "put", "greeting");
        assertEquals(put.err(), 0, put.exit());
        assertTrue("the first kvctl after a build writes its class archive; the next ones start from it",
                java.nio.file.Files.isRegularFile(Programs.ROOT.resolve("zk-kv-store/target/kvctl.jsa")));
        Programs.Result get = Programs.run(Map.of(), null, "kvctl", "--zk", zk, "get", "greeting");
        assertEquals(get.err(), 0, get.exit());
        assertEquals("hello, cluster\n", get.text());
        Programs.Result status = Programs.run(Map.of(), null, "kvctl", "--zk", zk, "status", "--json");
        assertEquals(status.err(), 0, status.exit());
        assertTrue(status.text(), status.text().contains("\"replicationFactor\" : 3"));
        assertTrue(status.text(), status.text().contains("node3"));
        Programs.Result other = Programs.run(Map.of(), "other".getBytes(StandardCharsets.UTF_8), "kvctl", "--zk", zk, "put", "greeting");
        assertEquals("a second put with other bytes is refused", 1, other.exit());
        assertTrue(other.err(), other.err().startsWith("error: immutable key"));
        Programs.Result noZk = Programs.run(Map.of(), null, "kvctl", "--zk", "127.0.0.1:1", "status");
        assertEquals(1, noZk.exit());
        assertTrue("a user mistake gets one clear line, no stack trace: " + noZk.err(),
                noZk.err().contains("did not answer") && !noZk.err().contains("\tat "));
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (kvPort + 2000) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains("elastickv_puts_total{node=\"node1\"}"));

        // the iSCSI bridge it started serves its 1 GiB volume
        String iqn = "iqn.2026-11.org.elastichadoop:quickstart";
        assertTrue(qs.text(), qs.text().contains("iscsi-ls -s iscsi://127.0.0.1:" + ISCSI_PORT));
        Process capacity = new ProcessBuilder("iscsi-readcapacity16", "iscsi://127.0.0.1:" + ISCSI_PORT + "/" + iqn + "/0")
                .redirectErrorStream(true).start();
        String cap = new String(capacity.getInputStream().readAllBytes());
        assertEquals(cap, 0, capacity.waitFor());
        assertTrue(cap, cap.contains("Total size:" + (1L << 30)));

        // the slot controller it started publishes this machine's allocation from its /proc/stat
        Process hostname = new ProcessBuilder("hostname").start();
        String host = new String(hostname.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, hostname.waitFor());
        String shown = "";
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            Programs.Result slots = Programs.run(Map.of(), null, "slotctl", "status", "--zk", "127.0.0.1:" + zkPort, "--json");
            assertEquals(slots.err(), 0, slots.exit());
            shown = slots.text();
            if (shown.contains("\"othersCores\"")) break;
            Thread.sleep(500);
        }
        assertTrue(shown, shown.contains("\"othersCores\"") && shown.contains("\"maps\""));
        assertTrue("the allocation is for this machine (" + host + "): " + shown, shown.contains("\"tracker\" : \"" + host + "\""));
    }

    @After
    public void stopQuickstart() throws Exception {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var pids = Files.list(dir)) {
            for (Path p : pids.filter(f -> f.toString().endsWith(".pid")).toList()) {
                new ProcessBuilder("kill", "-9", Files.readString(p).trim()).inheritIO().start().waitFor();
            }
        }
    }
}
