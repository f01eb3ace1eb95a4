package org.elastichadoop.slots.source;

import java.util.Optional;
import org.elastichadoop.slots.policy.HostFigures;

/** A host of 4 cores whose neighbours use as many cores as the test sets; shared with the YARN module's tests. */
public final class SettableHost implements HostCpuSource {
    public final String name;
    public volatile double others;

    public SettableHost(String name) {
        this.name = name;
    }

    @Override
    public Optional<HostFigures> read() {
        return Optional.of(new HostFigures(name, System.currentTimeMillis(), 4, others));
    }

    @Override
    public String describe() {
        return "test host " + name;
    }
}
