package org.elastichadoop.kv.testing;

import java.io.IOException;
import java.util.Set;

/** Ports for servers a test starts, below the kernel's ephemeral range: see {@link org.elastichadoop.kv.procs.FreePorts}. */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port no one listens on now. */
    public static int belowEphemeral() throws IOException {
        return org.elastichadoop.kv.procs.FreePorts.belowEphemeral();
    }

    /** A port no one listens on now and not in {@code reserved} (ports chosen but not bound yet). */
    public static int belowEphemeral(Set<Integer> reserved) throws IOException {
        return org.elastichadoop.kv.procs.FreePorts.belowEphemeral(reserved);
    }
}
