package org.elastichadoop.slots.policy;

/** Map and reduce slots for one tracker, and why. */
public final class Slots {
    public final int maps;
    public final int reduces;
    public final String reason;

    public Slots(int maps, int reduces, String reason) {
        this.maps = maps;
        this.reduces = reduces;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return maps + " maps, " + reduces + " reduces (" + reason + ")";
    }
}
