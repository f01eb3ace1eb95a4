package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Signals by name (TERM, KILL, STOP, CONT...) to a process or a process group, through kill(1). */
public final class Signals {
    private Signals() {
    }

    /** Sends {@code signal} to {@code pid}; false if no such process (any more). */
    public static boolean send(long pid, String signal) throws InterruptedException {
        return kill("-" + signal, Long.toString(pid));
    }

    /** Sends {@code signal} to every process of the group {@code pgid}; false if the group is empty. */
    public static boolean sendToGroup(long pgid, String signal) throws InterruptedException {
        return kill("-" + signal, "--", "-" + pgid);
    }

    private static boolean kill(String... args) throws InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "kill";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill(1): " + e.getMessage(), e);
        }
    }
}
