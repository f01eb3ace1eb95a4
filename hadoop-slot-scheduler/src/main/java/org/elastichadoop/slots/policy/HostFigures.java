package org.elastichadoop.slots.policy;

/**
 * One host's CPU over the last interval, in cores: what it has, and what workloads other than
 * Hadoop used of it (each counter source says how it measures that).
 */
public final class HostFigures {
    private final String host;
    private final long timeMillis;
    private final double capacityCores;
    private final double othersCores;

    public HostFigures(String host, long timeMillis, double capacityCores, double othersCores) {
        if (!(capacityCores > 0) || Double.isInfinite(capacityCores)) {
            throw new IllegalArgumentException(host + ": CPU capacity must be a positive number of cores, not " + capacityCores);
        }
        if (!(othersCores >= 0) || Double.isInfinite(othersCores)) {
            throw new IllegalArgumentException(host + ": CPU used by others must be zero or more cores, not " + othersCores);
        }
        this.host = host;
        this.timeMillis = timeMillis;
        this.capacityCores = capacityCores;
        this.othersCores = Math.min(othersCores, capacityCores);
    }

    public String host() { return host; }
    public long timeMillis() { return timeMillis; }
    public double capacityCores() { return capacityCores; }
    public double othersCores() { return othersCores; }

    @Override
    public String toString() {
        return String.format("%s: %.2f of %.2f cores used by others", host, othersCores, capacityCores);
    }
}
