package org.elastichadoop.iscsi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the external commands of a run (the loads, tgtadm, volume creation): each command and its whole output are
 * appended to a log file ({@code loads.log} unless another is named), and the exact commands are kept, each once
 * under its label, for the report.
 */
final class CommandLog {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
    private final Path loadsLog;
    private final List<String> recorded = new ArrayList<>();
    private final Set<Process> running = new HashSet<>();
    private boolean stopped;

    /** Starts {@code loadsLog} afresh. */
    CommandLog(Path loadsLog) throws IOException {
        this.loadsLog = loadsLog;
        Files.writeString(loadsLog, "");
    }

    Path loadsLog() {
        return loadsLog;
    }

    /** Keeps "LABEL: COMMAND" for the report, unless it is kept already. */
    synchronized void record(String label, List<String> command) {
        String line = label + ": " + quoted(command);
        if (!recorded.contains(line)) recorded.add(line);
    }

    /** The same with the environment variables shown as {@code env NAME=VALUE} in front. */
    void record(String label, Map<String, String> env, List<String> command) {
        List<String> all = new ArrayList<>();
        if (!env.isEmpty()) {
            all.add("env");
            env.forEach((k, v) -> all.add(k + "=" + v));
        }
        all.addAll(command);
        record(label, all);
    }

    synchronized List<String> recorded() {
        return List.copyOf(recorded);
    }

    /** Runs the command to its end, with its output appended to loads.log; returns the output or fails with its tail. */
    String run(List<String> command) throws IOException, InterruptedException {
        return run(command, loadsLog);
    }

    /** Runs the command to its end, with its output appended to {@code log}; returns the output or fails with its tail. */
    String run(List<String> command, Path log) throws IOException, InterruptedException {
        return run(command, log, null).output();
    }

    /** {@link #run(List, Path)} with {@code env} added to the environment. */
    String run(List<String> command, Map<String, String> env, Path log) throws IOException, InterruptedException {
        return run(command, env, log, null).output();
    }

    /** What a command printed, and whether it was stopped at its deadline. */
    record Ran(String output, boolean stopped) {
    }

    /**
     * Runs the command, with its output appended to {@code log}; at {@code deadline} (if not null) it is asked to
     * stop (SIGTERM) and killed 5 s later, and what it printed until then is returned. Fails with the output's tail
     * if it exits with an error on its own.
     */
    Ran run(List<String> command, Path log, Duration deadline) throws IOException, InterruptedException {
        return run(command, Map.of(), log, deadline);
    }

    private Ran run(List<String> command, Map<String, String> env, Path log, Duration deadline) throws IOException, InterruptedException {
        Path out = Files.createTempFile(log.toAbsolutePath().getParent(), "command-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = start(pb);
            boolean cut = false;
            try {
                if (deadline == null) {
                    p.waitFor();
                } else if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    cut = true;
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
                }
            } finally {
                synchronized (this) {
                    running.remove(p);
                }
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).replace('\r', '\n');
            int rc = p.exitValue();
            Files.writeString(log, "$ " + quoted(command) + "\n" + text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n")
                    + (cut ? "(stopped at its deadline, " + deadline.toSeconds() + " s)\n" : "(exit " + rc + ")\n"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (rc != 0 && !cut) {
                synchronized (this) {
                    if (stopped) throw new BenchException("stopped while running: " + quoted(command));
                }
                List<String> lines = text.lines().toList();
                throw new BenchException("command failed (exit " + rc + "): " + quoted(command) + "\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
            }
            return new Ran(text, cut);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private synchronized Process start(ProcessBuilder pb) throws IOException {
        if (stopped) throw new BenchException("stopped");
        Process p = pb.start();
        running.add(p);
        return p;
    }

    /** Kills the commands running now (a load, when the benchmark is interrupted) and refuses new ones. */
    synchronized void stopAll() {
        stopped = true;
        for (Process p : running) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Whether the command exits 0 within {@code seconds}; its output is dropped (for probes such as iscsi-ls). */
    static boolean succeeds(List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** The command as one line a shell would read back the same. */
    static String quoted(List<String> command) {
        List<String> words = new ArrayList<>();
        for (String w : command) {
            words.add(!w.isEmpty() && PLAIN.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }
}
