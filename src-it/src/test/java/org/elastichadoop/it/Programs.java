package org.elastichadoop.it;

import org.elastichadoop.kv.procs.FreePorts;
import org.elastichadoop.kv.procs.Launcher;
import org.elastichadoop.kv.procs.LogWatch;
import org.elastichadoop.kv.procs.Program;
import org.elastichadoop.kv.procs.Signals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's bin/ programs as separate processes, with their output in files, through zk-kv-store's
 * process fixture ({@link org.elastichadoop.kv.procs}).
 */
final class Programs {
    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();

    private Programs() {
    }

    /** A port no one listens on, below the kernel's ephemeral range (see {@link FreePorts}). */
    static int freePort() throws IOException {
        return FreePorts.belowEphemeral();
    }

    /** bin/NAME as a launcher: the command line before its arguments. */
    static Launcher bin(String name) {
        return Launcher.script(ROOT.resolve("bin").resolve(name));
    }

    /** bin/NAME with the arguments, run in ROOT; stdout and stderr appended to WORK/logs/LOGNAME.log. */
    static Program program(String logName, Map<String, String> env, String name, String... args) {
        return Program.of(logName, bin(name).command(List.of(args)), log(logName)).env(env).in(ROOT);
    }

    /** Starts bin/NAME with the arguments; stdout and stderr go to WORK/logs/LOGNAME.log. */
    static Process start(String logName, Map<String, String> env, String name, String... args) throws IOException {
        return program(logName, env, name, args).start().process();
    }

    /** Starts a command in {@code dir}; stdout and stderr go to WORK/logs/LOGNAME.log. */
    static Process startCommand(String logName, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        return Program.of(logName, cmd, log(logName)).env(env).in(dir).start().process();
    }

    /** Waits for a program started with its output in WORK/logs/LOGNAME.log to exit 0; returns that log. */
    static String awaitSuccess(String logName, Process p, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(logName + " did not finish in " + seconds + " s; see " + log(logName));
        }
        String out = Files.readString(log(logName), StandardCharsets.ISO_8859_1);
        if (p.exitValue() != 0) throw new AssertionError(logName + " exited " + p.exitValue() + ":\n" + out);
        return out;
    }

    static Path log(String logName) {
        return WORK.resolve("logs").resolve(logName + ".log");
    }

    /** Runs bin/NAME to the end; returns its exit code and output. */
    static Result run(Map<String, String> env, byte[] stdin, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin").resolve(name).toString());
        cmd.addAll(List.of(args));
        Files.createDirectories(WORK);
        File out = Files.createTempFile(WORK, name, ".out").toFile();
        File err = Files.createTempFile(WORK, name, ".err").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
                .redirectOutput(out).redirectError(err);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), Files.readAllBytes(out.toPath()), Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** Waits until the log of a started program contains the text (anywhere: give each start a fresh log name). */
    static void awaitLog(String logName, String text, long millis) throws Exception {
        LogWatch.await(log(logName), text, Duration.ofMillis(millis));
    }

    static void signal(Process p, String signal) throws Exception {
        Signals.send(p.pid(), signal);
    }
}
