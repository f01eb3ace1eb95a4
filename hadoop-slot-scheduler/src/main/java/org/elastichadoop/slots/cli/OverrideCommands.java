package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.allocation.OperatorOverride;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** slotctl pin / drain / release: an operator's decision for one tracker, which the active controller publishes. */
final class OverrideCommands {
    private OverrideCommands() {}

    static class Target {
        @Parameters(index = "0", paramLabel = "TRACKER", description = "The TaskTracker's host name.")
        String tracker;

        @Mixin
        ZkOptions where = new ZkOptions();

        @Option(names = "--json", description = "JSON output.")
        boolean json;

        void done(String what) {
            System.out.println(json ? "{\"tracker\":\"" + tracker + "\",\"done\":\"" + what + "\"}"
                    : tracker + ": " + what + " (the active controller publishes it at its next poll)");
        }
    }

    @Command(name = "pin", mixinStandardHelpOptions = true, description = "Fixes a tracker's slots, whatever its counters say, until released.")
    static final class Pin extends Target implements Callable<Integer> {
        @Option(names = "--maps", required = true, description = "Map slots.")
        int maps;

        @Option(names = "--reduces", required = true, description = "Reduce slots.")
        int reduces;

        @Override
        public Integer call() throws Exception {
            if (maps < 0 || reduces < 0 || maps > Allocation.MAX_SLOTS || reduces > Allocation.MAX_SLOTS) {
                throw new UserException("--maps and --reduces must be 0.." + Allocation.MAX_SLOTS);
            }
            try (CuratorFramework c = where.connect()) {
                where.store(c).writeOverride(tracker, OperatorOverride.pin(maps, reduces, System.currentTimeMillis()));
            }
            done("pinned to " + maps + " maps, " + reduces + " reduces");
            return 0;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true, description = "Gives a tracker no slots (no new tasks) until released.")
    static final class Drain extends Target implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (CuratorFramework c = where.connect()) {
                where.store(c).writeOverride(tracker, OperatorOverride.drain(System.currentTimeMillis()));
            }
            done("drained");
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Hands a pinned or drained tracker back to the policy.")
    static final class Release extends Target implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            boolean had;
            try (CuratorFramework c = where.connect()) {
                had = where.store(c).release(tracker);
            }
            done(had ? "released to the policy" : "was neither pinned nor drained");
            return 0;
        }
    }
}
