package org.elastichadoop.it;

import org.elastichadoop.kv.testing.FreePorts;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's bin/ programs as separate processes, with their output in files. */
final class Programs {
    static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();

    private Programs() {
    }

    /** A port no one listens on, below the kernel's ephemeral range (see {@link FreePorts}). */
    static int freePort() throws IOException {
        return FreePorts.belowEphemeral();
    }

    /** Starts bin/NAME with the arguments; stdout and stderr go to WORK/logs/LOGNAME.log. */
    static Process start(String logName, Map<String, String> env, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin").resolve(name).toString());
        cmd.addAll(List.of(args));
        return startCommand(logName, cmd, env, ROOT);
    }

    /** Starts a command in {@code dir}; stdout and stderr go to WORK/logs/LOGNAME.log. */
    static Process startCommand(String logName, List<String> cmd, Map<String, String> env, Path dir) throws IOException {
        Files.createDirectories(log(logName).getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(logName).toFile()));
        pb.environment().putAll(env);
        return pb.start();
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

    /** Waits until the log of a started program contains the text. */
    static void awaitLog(String logName, String text, long millis) throws Exception {
        Path log = log(logName);
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(logName + " did not log '" + text + "' within " + millis + " ms; see " + log);
    }

    static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }
}
