package org.elastichadoop.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.elastichadoop.kv.procs.KvPrograms;
import org.elastichadoop.kv.procs.RunningProgram;

/**
 * One run of a process-level elastic-slots test (HadoopDaemonsIT, YarnDaemonsIT): its directory under WORK, the
 * ZooKeeper port, the neighbours' CPU as pressure files the controller reads ({@code HOST.pressure}, the
 * {@code slotctl.yaml} beside them), bin/zookeeper and bin/slotctl controller, and every process it started.
 */
final class SlotsRun implements AutoCloseable {
    final Path dir;
    final int zkPort;
    private final List<Process> started = new ArrayList<>();
    private int starts;

    SlotsRun(String prefix) throws Exception {
        dir = Programs.WORK.resolve(prefix + "-" + System.nanoTime());
        Files.createDirectories(dir);
        zkPort = Programs.freePort();
    }

    String zk() {
        return "127.0.0.1:" + zkPort;
    }

    /** This run's name for a program's log under WORK/logs. */
    String logName(String program) {
        return dir.getFileName() + "-" + program;
    }

    /** A log name not used before in this run: {@code program-N}. */
    String nextLogName(String program) {
        return logName(program + "-" + (++starts));
    }

    Process track(Process p) {
        started.add(p);
        return p;
    }

    /** Sets {@code host}'s neighbours busy at {@code percentBusy} % of its cores, as the pressure source reads it. */
    void neighbours(String host, int percentBusy) throws Exception {
        Path f = dir.resolve(host + ".pressure");
        Path tmp = dir.resolve(host + ".pressure.tmp");
        Files.write(tmp, ("some avg10=" + percentBusy + ".00 avg60=0.00 avg300=0.00 total=0\n"
                + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n").getBytes(StandardCharsets.US_ASCII));
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void writeSlotctlYaml(String yaml) throws Exception {
        Files.write(dir.resolve("slotctl.yaml"), yaml.getBytes(StandardCharsets.UTF_8));
    }

    Process startZooKeeper() throws Exception {
        String log = nextLogName("zk");
        RunningProgram zk = KvPrograms.zooKeeper(Programs.bin("zookeeper"), zkPort, dir.resolve("zk"), Programs.log(log)).in(Programs.ROOT).start();
        track(zk.process());
        return zk.awaitLine(KvPrograms.ZOOKEEPER_READY, Duration.ofSeconds(30)).process();
    }

    /** bin/slotctl COMMAND (controller, yarn) with this run's slotctl.yaml; waits for {@code ready} in its log. */
    Process startSlotctl(String command, String ready) throws Exception {
        String log = nextLogName("slotctl-" + command);
        Process p = track(Programs.start(log, Map.of(), "slotctl", command, "--zk", zk(),
                "--config", dir.resolve("slotctl.yaml").toString(), "--session-timeout", "4"));
        Programs.awaitLog(log, ready, 30_000);
        return p;
    }

    Process startController() throws Exception {
        return startSlotctl("controller", "is now the active controller");
    }

    static void await(BooleanSupplier condition, long ms, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("waited " + ms + " ms for " + what);
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) p.destroyForcibly();
        for (Process p : started) p.waitFor(10, TimeUnit.SECONDS);
    }
}
