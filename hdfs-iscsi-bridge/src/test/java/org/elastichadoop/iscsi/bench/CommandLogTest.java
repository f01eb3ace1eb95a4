package org.elastichadoop.iscsi.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CommandLogTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void logsEachCommandWithItsOutputAndFailsWithItsTail() throws Exception {
        Path loads = tmp.getRoot().toPath().resolve("loads.log");
        CommandLog log = new CommandLog(loads);
        assertEquals("one\ntwo\n", log.run(List.of("sh", "-c", "printf 'one\\rtwo\\n'")));
        try {
            log.run(List.of("sh", "-c", "echo 'no such LUN'; exit 2"));
            fail("exit 2");
        } catch (BenchException e) {
            assertEquals("command failed (exit 2): sh -c 'echo '\\''no such LUN'\\''; exit 2'\nno such LUN", e.getMessage());
        }
        assertEquals("$ sh -c 'printf '\\''one\\rtwo\\n'\\'''\none\ntwo\n(exit 0)\n"
                + "$ sh -c 'echo '\\''no such LUN'\\''; exit 2'\nno such LUN\n(exit 2)\n", Files.readString(loads));
    }

    @Test
    public void aCommandPastItsDeadlineIsStoppedAndWhatItPrintedIsKept() throws Exception {
        Path loads = tmp.getRoot().toPath().resolve("loads.log");
        CommandLog log = new CommandLog(loads);
        long t0 = System.nanoTime();
        CommandLog.Ran ran = log.run(List.of("sh", "-c", "echo 'iops average 7 (0 MB/s)'; exec sleep 60"), loads, Duration.ofMillis(500));
        assertTrue(ran.stopped());
        assertTrue("stopped by SIGTERM at once", System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(7, Loads.parseIops(ran.output()));
        assertTrue(Files.readString(loads).endsWith("(stopped at its deadline, 0 s)\n"));
        assertFalse(log.run(List.of("true"), loads, Duration.ofSeconds(10)).stopped());
    }

    @Test
    public void stopAllEndsTheRunningLoadAndRefusesTheNext() throws Exception {
        CommandLog log = new CommandLog(tmp.getRoot().toPath().resolve("loads.log"));
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            log.stopAll();
        });
        stopper.start();
        long t0 = System.nanoTime();
        try {
            log.run(List.of("sleep", "60"));
            fail("killed");
        } catch (BenchException e) {
            assertEquals("stopped while running: sleep 60", e.getMessage());
        }
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        try {
            log.run(List.of("true"));
            fail("refused");
        } catch (BenchException e) {
            assertEquals("stopped", e.getMessage());
        }
    }
}
