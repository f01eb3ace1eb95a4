package org.elastichadoop.kv.procs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.Test;

public class ProcessCpuTest {
    @Test
    public void readsTheFourTimesAfterTheCommandName() {
        // comm may hold spaces and parentheses; utime 14, stime 15, cutime 16, cstime 17
        String stat = "4242 (tgtd (x) y) S 1 4242 4242 0 -1 4194560 1033 0 0 0 120 30 7 3 20 0 5 0 12345 0 0";
        assertEquals(120 + 30 + 7 + 3, ProcessCpu.parseTicks(stat));
    }

    @Test
    public void countsTheCpuOfAProcessAndItsChildren() throws Exception {
        // a child that spins for a while, then a second one that spins and is waited for
        java.nio.file.Path log = java.nio.file.Files.createTempFile("spin", ".log");
        RunningProgram p = Program.of("spinner", List.of("sh", "-c",
                "(i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done) ; echo done; exec sleep 60"), log).freshLog().start();
        try {
            p.awaitLine("done", Duration.ofSeconds(60));
            long ticks = ProcessCpu.ticks(p.pid());
            assertTrue("a subshell's spin, in the waited-for children's time: " + ticks, ticks > 0);
            assertTrue(ProcessCpu.millis(ticks) >= ticks); // ticks are 10 ms or less
            assertEquals(ticks, ProcessCpu.ticks(List.of(p.pid())));
        } finally {
            p.kill();
            java.nio.file.Files.deleteIfExists(log);
        }
        assertEquals("gone", 0, ProcessCpu.ticks(p.pid()));
    }

    @Test
    public void aThreadsTimesAreItsOwnUtimeAndStime() {
        String stat = "4250 (C2 CompilerThre) S 1 4242 4242 0 -1 4194560 1033 0 0 0 800 25 0 0 20 0 5 0 12345 0 0";
        assertEquals(825, ProcessCpu.threadTicks(stat));
        assertTrue(ProcessCpu.isCompilerThread("C2 CompilerThre"));
        assertTrue(ProcessCpu.isCompilerThread("C1 CompilerThre"));
        assertTrue(!ProcessCpu.isCompilerThread("kv-io-node1-3-1"));
    }

    @Test
    public void findsThisJvmsCompilerThreadsAndCountsTheirGrowthThreadByThread() {
        java.util.Map<Long, Long> before = ProcessCpu.compilerThreadTicks(List.of(ProcessHandle.current().pid()));
        assertTrue("a JVM with its JIT on has compiler threads: " + before, !before.isEmpty());
        java.util.Map<Long, Long> after = new java.util.HashMap<>(before);
        long anyTid = before.keySet().iterator().next();
        after.put(anyTid, before.get(anyTid) + 7);
        after.put(-1L, 5L); // a thread started between the readings
        java.util.Map<Long, Long> withOneGone = new java.util.HashMap<>(after);
        assertEquals(12, ProcessCpu.compilerTicksBetween(before, after));
        withOneGone.remove(anyTid);
        assertEquals("a thread gone is not counted, never negative", 5, ProcessCpu.compilerTicksBetween(before, withOneGone));
    }
}
