package org.elastichadoop.slots.scheduler;

import org.apache.log4j.Level;
import org.apache.log4j.Logger;

/**
 * Inside a Hadoop 1 daemon, ZooKeeper and Curator (shaded under {@link #LOGGER}) log through SLF4J into
 * the daemon's own log4j 1.2. They are chatty at INFO (a ZooKeeper client prints its whole environment
 * on connect), so they log warnings only unless the daemon's log4j.properties sets a level for them.
 */
public final class ShadedLibrariesLog {
    public static final String LOGGER = "org.elastichadoop.slots.shaded";

    private ShadedLibrariesLog() {}

    /** Sets WARN on the shaded libraries' loggers unless the operator configured them. */
    public static void warnByDefault() {
        try {
            Logger shaded = Logger.getLogger(LOGGER);
            if (shaded.getLevel() == null) shaded.setLevel(Level.WARN);
        } catch (LinkageError noLog4j) {
            // not in a Hadoop 1 daemon (no log4j 1.2): SLF4J finds no provider and stays silent
        }
    }
}
