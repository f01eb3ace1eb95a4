package org.elastichadoop.it.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a recorded history against the one promise of an immutable store, key by key:
 * <ol>
 *   <li>at most one value is ever acknowledged;</li>
 *   <li>a read that starts after a put of v was acknowledged returns v (not "no entry", not other bytes);</li>
 *   <li>a read returns only bytes some put offered and that were not refused: a refused put never becomes
 *       visible (bytes offered by several puts count as one value: one refused copy of them does not taint
 *       another that was acknowledged or whose outcome is unknown);</li>
 *   <li>once a read has returned v, every read that starts after it returns v: no going back to "no entry",
 *       no second value.</li>
 * </ol>
 * Reads and puts that did not get a reliable answer (UNKNOWN) constrain nothing but may be what a read saw.
 */
public final class ImmutabilityChecker {
    private ImmutabilityChecker() {
    }

    /** The violations found, one line each; empty when the history keeps the promise. */
    public static List<String> check(Collection<Event> history) {
        Map<String, List<Event>> byKey = new LinkedHashMap<>();
        for (Event e : history) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<Event>> k : byKey.entrySet()) {
            checkKey(k.getKey(), k.getValue(), violations);
        }
        return violations;
    }

    private static void checkKey(String key, List<Event> ops, List<String> violations) {
        Set<String> acknowledged = new HashSet<>();
        Set<String> possible = new HashSet<>(); // acknowledged or unknown: may have been stored
        Set<String> refused = new HashSet<>();
        Event firstAck = null;
        for (Event e : ops) {
            if (!e.isPut()) {
                continue;
            }
            switch (e.outcome()) {
                case ACKNOWLEDGED -> {
                    acknowledged.add(e.value());
                    possible.add(e.value());
                    if (firstAck == null || e.completedNanos() < firstAck.completedNanos()) {
                        firstAck = e;
                    }
                }
                case UNKNOWN -> possible.add(e.value());
                case REFUSED -> refused.add(e.value());
                default -> violations.add(key + ": a put answered " + e.outcome() + ": " + e);
            }
        }
        if (acknowledged.size() > 1) {
            violations.add(key + ": " + acknowledged.size() + " values acknowledged: " + acknowledged);
        }
        List<Event> reads = new ArrayList<>();
        for (Event e : ops) {
            if (!e.isPut() && e.outcome() != Event.Outcome.UNKNOWN) {
                reads.add(e);
            }
        }
        for (Event r : reads) {
            if (r.outcome() == Event.Outcome.FOUND && !possible.contains(r.value())) {
                violations.add(key + ": a read returned bytes no put could have stored"
                        + (refused.contains(r.value()) ? " (a refused put's)" : "") + ": " + r);
            }
            if (firstAck != null && r.invokedNanos() > firstAck.completedNanos()
                    && !(r.outcome() == Event.Outcome.FOUND && r.value().equals(firstAck.value()))) {
                violations.add(key + ": a read after the acknowledgement of " + firstAck.value() + " got "
                        + (r.outcome() == Event.Outcome.FOUND ? r.value() : "no entry") + ": " + r + " (acknowledged: " + firstAck + ")");
            }
        }
        for (Event seen : reads) {
            if (seen.outcome() != Event.Outcome.FOUND) {
                continue;
            }
            for (Event later : reads) {
                if (later.invokedNanos() > seen.completedNanos()
                        && !(later.outcome() == Event.Outcome.FOUND && later.value().equals(seen.value()))) {
                    violations.add(key + ": " + seen.value() + " was read, then a later read got "
                            + (later.outcome() == Event.Outcome.FOUND ? later.value() : "no entry") + ": " + seen + " then " + later);
                }
            }
        }
    }
}
