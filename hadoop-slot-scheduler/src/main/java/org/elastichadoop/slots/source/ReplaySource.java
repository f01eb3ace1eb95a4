package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Plays one host's recorded figures back, one per read, and then keeps giving the last one: a
 * what-if or test cluster sees what the host went through, a poll at a time. Each figure is
 * restamped with the time of the read.
 */
public final class ReplaySource implements HostCpuSource {
    private final String host;
    private final List<HostFigures> figures;
    private final String origin;
    private final LongSupplier clock;
    private int next;

    public ReplaySource(String host, List<HostFigures> recorded, String origin, LongSupplier clock) {
        this.host = host;
        this.figures = new ArrayList<>();
        for (HostFigures f : recorded) if (f.host().equals(host)) figures.add(f);
        if (figures.isEmpty()) throw new IllegalArgumentException(origin + " has no samples for " + host);
        this.origin = origin;
        this.clock = clock;
    }

    @Override
    public synchronized Optional<HostFigures> read() {
        HostFigures f = figures.get(Math.min(next, figures.size() - 1));
        next++;
        return Optional.of(new HostFigures(host, clock.getAsLong(), f.capacityCores(), f.othersCores()));
    }

    @Override
    public String describe() {
        return "replay of " + host + " from " + origin;
    }
}
