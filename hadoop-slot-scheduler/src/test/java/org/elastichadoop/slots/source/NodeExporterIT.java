package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;
import org.junit.After;
import org.junit.Test;

import java.io.File;
import java.net.ServerSocket;
import java.net.URL;
import java.util.Optional;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The Prometheus source against a real node_exporter (Debian's prometheus-node-exporter, which
 * bin/test installs): two readings a second apart give this machine's CPUs and a steal figure.
 */
public class NodeExporterIT {
    private Process exporter;

    @Test
    public void aRealNodeExporterGivesThisMachinesCpus() throws Exception {
        File binary = new File("/usr/bin/prometheus-node-exporter");
        assertTrue("prometheus-node-exporter is not installed; bin/test installs it (apt-get install prometheus-node-exporter)",
                binary.canExecute());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        exporter = new ProcessBuilder(binary.getPath(), "--web.listen-address=127.0.0.1:" + port, "--collector.disable-defaults",
                "--collector.cpu").redirectErrorStream(true).redirectOutput(new File("target/node-exporter.log")).start();
        PrometheusSource source = new PrometheusSource(new URL("http://127.0.0.1:" + port + "/metrics"), "here", 2000, System::currentTimeMillis);
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                source.read();
                break;
            } catch (java.io.IOException notYet) {
                if (System.currentTimeMillis() > deadline) throw notYet;
                Thread.sleep(100);
            }
        }
        Thread.sleep(1100);
        Optional<HostFigures> f = source.read();
        assertTrue(f.isPresent());
        long cpus = java.nio.file.Files.readAllLines(java.nio.file.Paths.get("/proc/stat")).stream()
                .filter(l -> l.matches("cpu\\d+ .*")).count();
        assertEquals("the CPUs /proc/stat lists", cpus, (long) f.get().capacityCores());
        assertTrue(f.get().toString(), f.get().othersCores() >= 0 && f.get().othersCores() <= f.get().capacityCores());
    }

    @After
    public void stop() throws Exception {
        if (exporter != null) {
            exporter.destroy();
            exporter.waitFor();
        }
    }
}
