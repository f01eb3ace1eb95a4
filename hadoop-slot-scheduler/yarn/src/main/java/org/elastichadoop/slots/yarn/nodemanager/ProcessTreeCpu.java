package org.elastichadoop.slots.yarn.nodemanager;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of a process and all its descendants, from a Linux /proc: on a NodeManager, the NodeManager itself
 * and every container it launched (containers are children of its launch scripts). Processes that end between
 * two readings take their time with them, so the figure is Hadoop's CPU while it runs, not an exact account.
 */
public final class ProcessTreeCpu {
    private final Path proc;
    private final long rootPid;

    public ProcessTreeCpu(Path proc, long rootPid) {
        this.proc = proc;
        this.rootPid = rootPid;
    }

    /** User plus system clock ticks of the tree now, and how many processes it has. */
    public long[] ticksAndProcesses() throws IOException {
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : pids) {
                long[] f = statOf(dir.resolve("stat"));
                if (f == null) continue; // gone meanwhile
                long pid = Long.parseLong(dir.getFileName().toString());
                children.computeIfAbsent(f[0], k -> new ArrayList<>()).add(pid);
                ticks.put(pid, f[1]);
            }
        }
        if (!ticks.containsKey(rootPid)) throw new IOException(proc + " has no process " + rootPid);
        long sum = 0;
        long count = 0;
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(rootPid);
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            sum += ticks.getOrDefault(pid, 0L);
            count++;
            todo.addAll(children.getOrDefault(pid, new ArrayList<>()));
        }
        return new long[] {sum, count};
    }

    /** The parent pid and user + system ticks from a /proc/PID/stat, or null if the process is gone or the file odd. */
    static long[] statOf(Path stat) {
        String line;
        try {
            line = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return null;
        }
        int close = line.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (close < 0) return null;
        String[] f = line.substring(close + 1).trim().split("\\s+");
        // after the name: state(3) ppid(4) ... utime(14) stime(15), numbered from 1 as in proc(5)
        if (f.length < 13) return null;
        try {
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
