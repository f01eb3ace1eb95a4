package org.elastichadoop.slots.scheduler;

/** The most map and reduce tasks one tracker may run now, and where that figure came from. */
public final class SlotCaps {
    public final int maps;
    public final int reduces;
    /** "allocation v12", "fallback: no allocation", "fallback: allocation 130 s old"... */
    public final String origin;

    public SlotCaps(int maps, int reduces, String origin) {
        this.maps = maps;
        this.reduces = reduces;
        this.origin = origin;
    }

    @Override
    public String toString() {
        return maps + " maps, " + reduces + " reduces (" + origin + ")";
    }
}
