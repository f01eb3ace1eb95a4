package org.elastichadoop.slots.policy;

/**
 * The knobs of {@link SlotPolicy}, with their defaults. Hadoop may use {@code targetUtilisation} of a
 * host's cores less what others use; that is split between map and reduce slots, each costing
 * some cores; the result is smoothed, held within a hysteresis band, limited per step and clamped.
 */
public final class PolicySettings {
    public final double targetUtilisation;
    public final double mapSlotCores;
    public final double reduceSlotCores;
    /** Share of Hadoop's cores given to reduce slots. */
    public final double reduceShare;
    public final int minMaps;
    public final int maxMaps;
    public final int minReduces;
    public final int maxReduces;
    /** Weight of the newest figure in the moving average (1 = no smoothing). */
    public final double smoothing;
    /** A count changes only when the computed value is at least this far from the current one. */
    public final double hysteresisSlots;
    /** The most slots a count may change by in one step. */
    public final int maxStep;

    public PolicySettings(double targetUtilisation, double mapSlotCores, double reduceSlotCores, double reduceShare,
                          int minMaps, int maxMaps, int minReduces, int maxReduces,
                          double smoothing, double hysteresisSlots, int maxStep) {
        check(targetUtilisation > 0 && targetUtilisation <= 1, "targetUtilisation", targetUtilisation, "in (0, 1]");
        check(mapSlotCores > 0 && mapSlotCores <= 64, "mapSlotCores", mapSlotCores, "in (0, 64]");
        check(reduceSlotCores > 0 && reduceSlotCores <= 64, "reduceSlotCores", reduceSlotCores, "in (0, 64]");
        check(reduceShare >= 0 && reduceShare <= 1, "reduceShare", reduceShare, "in [0, 1]");
        check(minMaps >= 0 && minMaps <= maxMaps && maxMaps <= 1024, "minMaps/maxMaps", minMaps + "/" + maxMaps, "0 <= min <= max <= 1024");
        check(minReduces >= 0 && minReduces <= maxReduces && maxReduces <= 1024, "minReduces/maxReduces", minReduces + "/" + maxReduces,
                "0 <= min <= max <= 1024");
        check(smoothing > 0 && smoothing <= 1, "smoothing", smoothing, "in (0, 1]");
        check(hysteresisSlots >= 0 && hysteresisSlots < 1, "hysteresisSlots", hysteresisSlots, "in [0, 1)");
        check(maxStep >= 1, "maxStep", maxStep, "at least 1");
        this.targetUtilisation = targetUtilisation;
        this.mapSlotCores = mapSlotCores;
        this.reduceSlotCores = reduceSlotCores;
        this.reduceShare = reduceShare;
        this.minMaps = minMaps;
        this.maxMaps = maxMaps;
        this.minReduces = minReduces;
        this.maxReduces = maxReduces;
        this.smoothing = smoothing;
        this.hysteresisSlots = hysteresisSlots;
        this.maxStep = maxStep;
    }

    public static PolicySettings defaults() {
        return new PolicySettings(0.8, 1.0, 1.0, 0.25, 0, 8, 0, 4, 0.5, 0.3, 2);
    }

    private static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException("policy key '" + key + "' is " + value + "; it must be " + rule);
    }

    @Override
    public String toString() {
        return String.format("targetUtilisation=%.2f mapSlotCores=%.2f reduceSlotCores=%.2f reduceShare=%.2f maps=[%d,%d] "
                        + "reduces=[%d,%d] smoothing=%.2f hysteresisSlots=%.2f maxStep=%d", targetUtilisation, mapSlotCores,
                reduceSlotCores, reduceShare, minMaps, maxMaps, minReduces, maxReduces, smoothing, hysteresisSlots, maxStep);
    }
}
