package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** /proc/stat readings: recorded ones with figures worked out by hand, this machine's own, and broken ones. */
public class ProcStatSourceTest {
    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private Path stat;

    private void write(String cpuLine) throws IOException {
        Files.write(stat, (cpuLine + "\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\nintr 1 2 3\nctxt 99\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    public void stealInsideAVmIsWhatTheNeighboursTake() throws Exception {
        stat = dir.newFile("stat").toPath();
        ProcStatSource guest = new ProcStatSource(stat, "tt1", ProcStatSource.Mode.GUEST, () -> 0, () -> 1000L);
        write("cpu  1000 0 500 8000 100 0 0 400 0 0");
        assertFalse("no interval after one reading", guest.read().isPresent());
        // +600 user, +200 system, +600 idle, +600 steal = 2,000 ticks over 2 CPUs
        write("cpu  1600 0 700 8600 100 0 0 1000 0 0");
        HostFigures f = guest.read().get();
        assertEquals(2.0, f.capacityCores(), 0);
        assertEquals("600 / 2000 of 2 CPUs", 0.6, f.othersCores(), 1e-9);
        assertEquals("tt1", f.host());
        assertEquals(1000L, f.timeMillis());
    }

    @Test
    public void onAHostOthersAreTheBusyTimeLessHadoops() throws Exception {
        stat = dir.newFile("stat").toPath();
        ProcStatSource host = new ProcStatSource(stat, "kvm1", ProcStatSource.Mode.HOST, () -> 0.5, () -> 1L);
        write("cpu  1000 0 500 8000 100 0 0 400 0 0");
        host.read();
        write("cpu  1600 0 700 8600 100 0 0 1000 0 0");
        // busy +800 of 2,000 ticks x 2 CPUs = 0.8 cores, Hadoop 0.5 -> others 0.3
        assertEquals(0.3, host.read().get().othersCores(), 1e-9);
    }

    @Test
    public void countersGoingBackwardsMeanARebootNotNegativeFigures() throws Exception {
        stat = dir.newFile("stat").toPath();
        ProcStatSource guest = ProcStatSource.guest(stat, "tt1");
        write("cpu  1000 0 500 8000 100 0 0 400 0 0");
        guest.read();
        write("cpu  10 0 5 80 1 0 0 4 0 0");
        assertFalse(guest.read().isPresent());
        write("cpu  20 0 5 90 1 0 0 4 0 0");
        assertTrue("the next interval counts from the reboot", guest.read().isPresent());
    }

    @Test
    public void thisMachinesProcStatReads() throws Exception {
        Path real = Paths.get("/proc/stat");
        ProcStatSource guest = ProcStatSource.guest(real, "here");
        assertFalse(guest.read().isPresent());
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) Math.sqrt(System.nanoTime()); // let some ticks pass
        Optional<HostFigures> f = guest.read();
        assertTrue(f.isPresent());
        long cpus = Files.readAllLines(real).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        assertEquals(cpus, (long) f.get().capacityCores());
        assertTrue(f.get().toString(), f.get().othersCores() >= 0 && f.get().othersCores() <= cpus);
    }

    @Test
    public void garbageIsAnErrorNamingTheFile() throws Exception {
        stat = dir.newFile("stat").toPath();
        for (String bad : new String[] {"cpu  10 x 5 80 1 0 0 4", "cpu  10 0 5", "intr 1 2", "cpu  10 0 5 -80 1 0 0 4"}) {
            Files.write(stat, (bad + "\ncpu0 1 1 1 1 1 1 1 1\n").getBytes(StandardCharsets.US_ASCII));
            try {
                ProcStatSource.guest(stat, "tt1").read();
                fail("read '" + bad + "'");
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith(stat.toString() + ": "));
            }
        }
    }

    @Test
    public void recordedSamplesLoadAndBadLinesAreNamed() throws Exception {
        Path f = dir.newFile("samples.txt").toPath();
        Files.write(f, "# time host capacity others\n1000 tt1 4 0.5\n\n2000 tt1 4 3.5\n2000 tt2 8 0\n".getBytes(StandardCharsets.UTF_8));
        List<HostFigures> s = RecordedSamples.load(f);
        assertEquals(3, s.size());
        assertEquals(3.5, s.get(1).othersCores(), 0);
        assertEquals("tt2", s.get(2).host());
        String[][] bad = {{"1000 tt1 4", "expected TIME_MILLIS HOST"}, {"1000 tt1 four 1", "not a number"},
                {"1000 tt1 4 -1", "zero or more"}, {"2000 tt1 4 1\n1000 tt1 4 1", "before the line above"}};
        for (String[] b : bad) {
            Files.write(f, b[0].getBytes(StandardCharsets.UTF_8));
            try {
                RecordedSamples.load(f);
                fail("loaded " + b[0]);
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith(f + ":") && e.getMessage().contains(b[1]));
            }
        }
    }
}
