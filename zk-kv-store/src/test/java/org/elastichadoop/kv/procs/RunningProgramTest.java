package org.elastichadoop.kv.procs;

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

public class RunningProgramTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Program sh(String name, String script) {
        return Program.of(name, List.of("sh", "-c", script), tmp.getRoot().toPath().resolve(name + ".log"));
    }

    @Test
    public void awaitsTheReadyLineAndStopsWithSigterm() throws Exception {
        try (RunningProgram p = sh("server", "echo starting; sleep 0.3; echo 'server ready on 1234'; exec sleep 60").start()) {
            p.awaitLine("ready on", Duration.ofSeconds(10));
            assertTrue(p.isAlive());
            assertEquals(List.of("starting", "server ready on 1234"), p.tail(5));
            assertEquals("exit code of sleep ended by SIGTERM", 128 + 15, p.stop(Duration.ofSeconds(5)));
        }
    }

    @Test
    public void anExitBeforeTheReadyLineFailsWithTheLogsTail() throws Exception {
        RunningProgram p = sh("broken", "echo 'error: port 7400 is in use'; exit 3").start();
        try {
            p.awaitLine("ready on", Duration.ofSeconds(10));
            fail("not ready");
        } catch (ProgramNotReadyException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("broken exited with code 3 before 'ready on' showed in its log; see "));
            assertTrue(e.getMessage(), e.getMessage().contains("broken.log ----\nerror: port 7400 is in use\n----"));
        }
    }

    @Test
    public void aTimeoutSaysWhatWasAwaited() throws Exception {
        try (RunningProgram p = sh("slow", "echo warming up; exec sleep 60").start()) {
            try {
                p.await("it accepted connections", Duration.ofMillis(300), () -> false);
                fail("not ready");
            } catch (ProgramNotReadyException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("slow was not ready within 0 s (waited until it accepted connections); see "));
                assertTrue(e.getMessage(), e.getMessage().contains("warming up"));
            }
        }
    }

    @Test
    public void aRestartAppendingToItsLogIsNotReadyByTheEarlierRunsLine() throws Exception {
        RunningProgram first = sh("node", "echo 'node ready on 1'").start();
        first.waitFor(Duration.ofSeconds(10));
        first.awaitLine("ready on", Duration.ofSeconds(1));
        try (RunningProgram second = sh("node", "echo 'recovering'; exec sleep 60").start()) {
            try {
                second.awaitLine("ready on", Duration.ofMillis(500));
                fail("the first run's line was taken for the second's");
            } catch (ProgramNotReadyException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("----\nrecovering\n----"));
            }
        }
        assertEquals("node ready on 1\nrecovering\n", Files.readString(tmp.getRoot().toPath().resolve("node.log")));
    }

    @Test
    public void aProgramThatIgnoresSigtermIsKilledAfterTheGraceWithItsChildren() throws Exception {
        RunningProgram p = sh("stubborn", "trap '' TERM; echo up; sleep 60 & while true; do sleep 0.1; done").start();
        p.awaitLine("up", Duration.ofSeconds(10));
        List<ProcessHandle> children = p.process().descendants().toList();
        assertFalse(children.isEmpty());
        long t0 = System.nanoTime();
        assertEquals(128 + 9, p.stop(Duration.ofMillis(500)));
        assertTrue("waited for the grace", System.nanoTime() - t0 >= 400_000_000L);
        for (ProcessHandle c : children) {
            c.onExit().get(); // each ended
        }
    }

    @Test
    public void aProgramInItsOwnSessionIsStoppedAsAGroup() throws Exception {
        RunningProgram p = sh("group", "sleep 60 & echo up; wait").ownSession().start();
        p.awaitLine("up", Duration.ofSeconds(10));
        assertEquals("setsid execs: the pid is the program's, a session leader",
                p.pid(), Long.parseLong(Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat")).split(" ")[5]));
        List<ProcessHandle> children = p.process().descendants().toList();
        assertFalse(children.isEmpty());
        p.stop(Duration.ofSeconds(5));
        for (ProcessHandle c : children) {
            c.onExit().get();
        }
    }

    @Test
    public void aStoppedProgramStillHearsSigterm() throws Exception {
        RunningProgram p = sh("paused", "echo up; exec sleep 60").start();
        p.awaitLine("up", Duration.ofSeconds(10));
        p.signal("STOP");
        long t0 = System.nanoTime();
        assertEquals(128 + 15, p.stop(Duration.ofSeconds(20)));
        assertTrue("ended by SIGTERM, not after the grace", System.nanoTime() - t0 < 10_000_000_000L);
    }
}
