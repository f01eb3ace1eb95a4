package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run one program as a process: its command line, extra environment, working directory, and the file its
 * stdout and stderr go to. Immutable; {@link #start()} runs it. By default the output is appended to the log, which
 * an earlier run may have started; {@link RunningProgram#awaitLine} only looks at what this run wrote.
 */
public final class Program {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final Path dir;
    private final Map<String, String> env;
    private final boolean ownSession;
    private final boolean freshLog;

    private Program(String name, List<String> command, Path log, Path dir, Map<String, String> env, boolean ownSession, boolean freshLog) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.dir = dir;
        this.env = Map.copyOf(env);
        this.ownSession = ownSession;
        this.freshLog = freshLog;
    }

    /** {@code name} is how messages call it ("node2", "ZooKeeper"); its output goes to {@code log}. */
    public static Program of(String name, List<String> command, Path log) {
        if (command.isEmpty()) throw new IllegalArgumentException("no command for " + name);
        return new Program(name, command, log, null, Map.of(), false, false);
    }

    /** Runs it in {@code directory} (default: this process's working directory). */
    public Program in(Path directory) {
        return new Program(name, command, log, directory, env, ownSession, freshLog);
    }

    /** Adds to its environment (which is otherwise this process's). */
    public Program env(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(more);
        return new Program(name, command, log, dir, all, ownSession, freshLog);
    }

    /**
     * Runs it in a session and process group of its own (setsid(1)): with the kernel's scheduler autogroups, one per
     * session, it then shares no CPU group with the programs this process runs in its own session, and a stop reaches
     * every process of the group (a wrapper script's children too).
     */
    public Program ownSession() {
        return new Program(name, command, log, dir, env, true, freshLog);
    }

    /** Empties the log first instead of appending to it. */
    public Program freshLog() {
        return new Program(name, command, log, dir, env, ownSession, true);
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Starts it; stdin is /dev/null. */
    public RunningProgram start() throws IOException {
        Path parent = log.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        long logStart = !freshLog && Files.exists(log) ? Files.size(log) : 0;
        List<String> cmd = new ArrayList<>();
        if (ownSession) {
            // A child of this JVM is not a process group leader, so setsid(1) calls setsid() and execs without a
            // fork: the pid below is the program's own.
            cmd.add("setsid");
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(freshLog ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        return new RunningProgram(this, process, logStart, ownSession);
    }

    @Override
    public String toString() {
        return name + ": " + String.join(" ", command);
    }
}
