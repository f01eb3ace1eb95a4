package org.elastichadoop.slots.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides each tracker's map and reduce slots from its host's CPU figures, step by step:
 * <ol>
 *   <li>Hadoop's cores: {@code targetUtilisation x capacity - others}, within [0, capacity];</li>
 *   <li>smoothed: an exponentially weighted moving average over the steps ({@code smoothing} is the
 *   newest figure's weight);</li>
 *   <li>split: {@code reduceShare} of them to reduce slots, the rest to map slots, each slot costing
 *   {@code mapSlotCores} / {@code reduceSlotCores};</li>
 *   <li>hysteresis: a count moves to the whole number below the computed value only when that value is
 *   at least {@code hysteresisSlots} away from the current count, so figures hovering around a
 *   boundary do not flap;</li>
 *   <li>rate limit: at most {@code maxStep} slots up or down per step; then clamped to [min, max].</li>
 * </ol>
 * Keeps per-tracker state (the average and the current counts); not thread-safe.
 */
public final class SlotPolicy {
    private PolicySettings settings;
    private final Map<String, State> states = new HashMap<>();

    private static final class State {
        double smoothedCores;
        int maps;
        int reduces;
    }

    public SlotPolicy(PolicySettings settings) {
        this.settings = settings;
    }

    public PolicySettings settings() {
        return settings;
    }

    /** New settings from the next decision on; each tracker's average and counts carry over. */
    public void use(PolicySettings newSettings) {
        this.settings = newSettings;
    }

    /** The next allocation for {@code tracker}, whose host reported {@code figures}. */
    public Slots decide(String tracker, HostFigures figures) {
        PolicySettings s = settings;
        double raw = Math.max(0, Math.min(figures.capacityCores(), s.targetUtilisation * figures.capacityCores() - figures.othersCores()));
        State state = states.get(tracker);
        boolean first = state == null;
        if (first) {
            state = new State();
            state.smoothedCores = raw;
            states.put(tracker, state);
        } else {
            state.smoothedCores = s.smoothing * raw + (1 - s.smoothing) * state.smoothedCores;
        }
        double mapsExact = state.smoothedCores * (1 - s.reduceShare) / s.mapSlotCores;
        double reducesExact = state.smoothedCores * s.reduceShare / s.reduceSlotCores;
        StringBuilder why = new StringBuilder(String.format("others %.2f of %.2f cores; Hadoop may use %.2f (averaged %.2f): "
                + "%.2f map and %.2f reduce slots", figures.othersCores(), figures.capacityCores(), raw, state.smoothedCores,
                mapsExact, reducesExact));
        int maps = next(first, state.maps, mapsExact, s.minMaps, s.maxMaps, "maps", why);
        int reduces = next(first, state.reduces, reducesExact, s.minReduces, s.maxReduces, "reduces", why);
        state.maps = maps;
        state.reduces = reduces;
        return new Slots(maps, reduces, why.toString());
    }

    private int next(boolean first, int current, double exact, int min, int max, String what, StringBuilder why) {
        int wanted = (int) Math.floor(exact + 1e-9);
        if (!first) {
            if (Math.abs(exact - current) < settings.hysteresisSlots) {
                wanted = current;
            } else if (Math.abs(wanted - current) > settings.maxStep) {
                wanted = current + (wanted > current ? settings.maxStep : -settings.maxStep);
                why.append("; ").append(what).append(" limited to ").append(settings.maxStep).append(" per step");
            }
        }
        int clamped = Math.max(min, Math.min(max, wanted));
        if (clamped != wanted) why.append("; ").append(what).append(" clamped to [").append(min).append(", ").append(max).append(']');
        return clamped;
    }

    /** Forgets a tracker (it left the cluster): its next figures start a new average. */
    public void forget(String tracker) {
        states.remove(tracker);
    }
}
