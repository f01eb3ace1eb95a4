package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test or benchmark starts, below the kernel's ephemeral range (32768 and up on Linux). A port the
 * kernel handed out with bind(0) is one it also hands to outgoing connections: a server bound to it moments later, or
 * restarted on it, can find it taken ("Address already in use") by one of the client connections other processes
 * open meanwhile.
 */
public final class FreePorts {
    private static final int LOW = 20_000;
    private static final int HIGH = 32_000;

    private FreePorts() {
    }

    /** A port no one listens on now. */
    public static int belowEphemeral() throws IOException {
        return belowEphemeral(Set.of());
    }

    /** A port no one listens on now and not in {@code reserved} (ports chosen but not bound yet). */
    public static int belowEphemeral(Set<Integer> reserved) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = random.nextInt(LOW, HIGH);
            if (reserved.contains(port)) continue;
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // someone listens there: try another
            }
        }
        throw new IOException("no free port between " + LOW + " and " + HIGH + " after 1000 tries");
    }
}
