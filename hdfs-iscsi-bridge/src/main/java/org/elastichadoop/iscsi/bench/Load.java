package org.elastichadoop.iscsi.bench;

/** The measured loads, in the order they run and are reported. */
enum Load {
    SEQ_READ("seq read 1 MiB, depth 16", "MiB/s"),
    SEQ_WRITE("seq write 1 MiB, depth 16", "MiB/s"),
    RANDOM_READ("random read 4 KiB, depth 32", "IOPS"),
    /** Random reads on the uncached target: a second log volume, written in a scattered order, with a small cache. */
    RANDOM_READ_SMALL_CACHE("random read 4 KiB, cache %dM", "IOPS");

    private final String label;
    final String unit;

    Load(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    String label(BenchConfig cfg) {
        return this == RANDOM_READ_SMALL_CACHE ? String.format(label, cfg.cacheMb()) : label;
    }
}
