package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.util.Optional;

/** The figures between two readings of a host's CPU counters, as a guest sees them: others = steal. */
final class CounterDeltas {
    private CpuCounters previous;

    Optional<HostFigures> next(CpuCounters now, String host, long timeMillis) {
        CpuCounters before = previous;
        previous = now;
        if (before == null || now.total() <= before.total() || now.cpus != before.cpus
                || now.busy() < before.busy() || now.steal < before.steal) {
            return Optional.empty(); // first reading, no time passed, a restart or a CPU hot-plug
        }
        double ticks = now.total() - before.total();
        return Optional.of(new HostFigures(host, timeMillis, now.cpus, (now.steal - before.steal) / ticks * now.cpus));
    }
}
