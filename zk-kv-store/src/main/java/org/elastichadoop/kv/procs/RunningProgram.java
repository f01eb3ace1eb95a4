package org.elastichadoop.kv.procs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program started by {@link Program#start()}: its process and pid, its log, a wait for it to become ready that fails
 * with the log's last lines, and a stop that asks first (SIGTERM) and insists after a grace (SIGKILL).
 */
public final class RunningProgram implements AutoCloseable {
    /** How long {@link #close()} lets a program shut down after SIGTERM before it sends SIGKILL. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(15);
    private static final int TAIL_LINES = 30;

    private final Program program;
    private final Process process;
    private final long logStart;
    private final boolean ownGroup;

    RunningProgram(Program program, Process process, long logStart, boolean ownGroup) {
        this.program = program;
        this.process = process;
        this.logStart = logStart;
        this.ownGroup = ownGroup;
    }

    /** A readiness check; an exception counts as "not yet". */
    @FunctionalInterface
    public interface Ready {
        boolean ready() throws Exception;
    }

    public String name() {
        return program.name();
    }

    public Program program() {
        return program;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return program.log();
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until the program writes {@code text} to its log (this run's part of it). */
    public RunningProgram awaitLine(String text, Duration timeout) throws InterruptedException {
        LogWatch watch = new LogWatch(program.log(), logStart, text);
        return await("'" + text + "' showed in its log", timeout, watch::found);
    }

    /**
     * Waits until {@code ready} holds, polling every 100 ms; fails early if the program exits. {@code what} completes
     * "... before/within N s: WHAT" in the message (e.g. "it accepted connections on port 3262").
     */
    public RunningProgram await(String what, Duration timeout, Ready ready) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (holds(ready)) return this;
            if (!process.isAlive()) {
                if (holds(ready)) return this; // ready just before it exited
                throw new ProgramNotReadyException(name() + " exited with code " + process.exitValue() + " before " + what + "; see " + log()
                        + tailSection());
            }
            if (System.nanoTime() > end) {
                throw new ProgramNotReadyException(name() + " was not ready within " + timeout.toSeconds() + " s (waited until " + what
                        + "); see " + log() + tailSection());
            }
            Thread.sleep(100);
        }
    }

    private static boolean holds(Ready ready) throws InterruptedException {
        try {
            return ready.ready();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The last lines this run wrote to its log. */
    public List<String> tail(int lines) {
        return LogWatch.tail(program.log(), logStart, lines);
    }

    private String tailSection() {
        return LogWatch.tailSection(program.log(), logStart, TAIL_LINES);
    }

    /** Sends a signal (TERM, KILL, STOP, CONT, ...) to the program's process; false if it is gone. */
    public boolean signal(String signal) throws InterruptedException {
        return process.isAlive() && Signals.send(process.pid(), signal);
    }

    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops it: SIGTERM (and SIGCONT, so that a stopped program hears it), then SIGKILL if it is still running after
     * {@code grace}; a zero grace kills at once. A program in its own session is signalled as a process group, and
     * whatever is left of the group afterwards is killed. Returns the exit code, or -1 if it would not exit.
     */
    public synchronized int stop(Duration grace) throws InterruptedException {
        List<ProcessHandle> descendants = ownGroup ? List.of() : process.descendants().toList();
        if (process.isAlive()) {
            if (!grace.isZero() && !grace.isNegative()) {
                send("TERM");
                send("CONT");
                if (!waitFor(grace)) send("KILL");
            } else {
                send("KILL");
            }
            waitFor(Duration.ofSeconds(30));
        }
        if (ownGroup) {
            Signals.sendToGroup(process.pid(), "KILL"); // what a wrapper left behind; the group is usually empty
        } else {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL now, and waits for the exit. */
    public int kill() throws InterruptedException {
        return stop(Duration.ZERO);
    }

    private void send(String signal) throws InterruptedException {
        if (ownGroup) {
            Signals.sendToGroup(process.pid(), signal);
        } else {
            Signals.send(process.pid(), signal);
        }
    }

    /** {@link #stop} with {@link #DEFAULT_STOP_GRACE}; a thread interrupted before or during it kills at once. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            stop(interrupted ? Duration.ZERO : DEFAULT_STOP_GRACE);
        } catch (InterruptedException e) {
            interrupted = true;
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + ")";
    }
}
