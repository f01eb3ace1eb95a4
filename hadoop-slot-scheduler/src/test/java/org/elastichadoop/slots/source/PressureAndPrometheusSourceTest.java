package org.elastichadoop.slots.source;

import com.sun.net.httpserver.HttpServer;
import org.elastichadoop.slots.policy.HostFigures;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** PSI files (recorded and this machine's) and node_exporter expositions served over real HTTP. */
public class PressureAndPrometheusSourceTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();
    private HttpServer server;

    @Test
    public void pressureIsTheShareOfTheCoresOthersHold() throws Exception {
        Path f = dir.newFile("cpu").toPath();
        Files.write(f, "some avg10=40.00 avg60=10.00 avg300=2.00 total=123\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                .getBytes(StandardCharsets.US_ASCII));
        HostFigures h = new PressureSource(f, "tt1", 8, () -> 7L).read().get();
        assertEquals(8, h.capacityCores(), 0);
        assertEquals("40 % of 8 cores", 3.2, h.othersCores(), 1e-9);
        for (String bad : new String[] {"some avg10=140.00", "some avg10=lots", "full avg10=1.00"}) {
            Files.write(f, bad.getBytes(StandardCharsets.US_ASCII));
            try {
                new PressureSource(f, "tt1", 8, () -> 7L).read();
                fail("read " + bad);
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith(f + ": "));
            }
        }
    }

    @Test
    public void thisMachinesPressureReads() throws Exception {
        HostFigures h = new PressureSource(Paths.get("/proc/pressure/cpu"), "here", 2, System::currentTimeMillis).read().get();
        assertTrue(h.toString(), h.othersCores() >= 0 && h.othersCores() <= 2);
    }

    private static String exposition(double user, double idle, double steal) {
        StringBuilder b = new StringBuilder("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
                + "# TYPE node_cpu_seconds_total counter\n");
        for (int cpu = 0; cpu < 2; cpu++) {
            b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"idle\"} ").append(idle).append('\n');
            b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"user\"} ").append(user).append('\n');
            b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"steal\"} ").append(steal).append('\n');
            b.append("node_cpu_seconds_total{cpu=\"").append(cpu).append("\",mode=\"system\"} 1.5e+01\n");
        }
        return b.append("node_load1 0.5\n").toString();
    }

    @Test
    public void nodeExporterCountersAreReadLikeAGuestsProcStat() throws Exception {
        AtomicReference<String> body = new AtomicReference<>(exposition(100, 1000, 10));
        AtomicInteger status = new AtomicInteger(200);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", x -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status.get(), b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        URL url = new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
        PrometheusSource s = new PrometheusSource(url, "tt1", 2000, () -> 9L);
        assertFalse("one reading is no interval", s.read().isPresent());
        // per CPU +6 s user, +2 s idle, +2 s steal: 10 s x 2 CPUs, steal 4 of 20 -> 0.4 cores
        body.set(exposition(106, 1002, 12));
        HostFigures h = s.read().get();
        assertEquals(2, h.capacityCores(), 0);
        assertEquals(0.4, h.othersCores(), 1e-9);

        body.set("node_load1 0.5\n");
        try {
            s.read();
            fail("read an exposition without CPU counters");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no node_cpu_seconds_total samples"));
        }
        body.set("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} NaN\n");
        try {
            s.read();
            fail("read NaN");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("bad sample"));
        }
        status.set(500);
        body.set(exposition(200, 2000, 20));
        try {
            s.read();
            fail("read an HTTP 500");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("HTTP 500"));
        }
    }

    @After
    public void stop() {
        if (server != null) server.stop(0);
    }
}
