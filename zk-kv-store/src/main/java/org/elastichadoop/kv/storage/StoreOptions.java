package org.elastichadoop.kv.storage;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of a {@link LogStore}; immutable, built with {@link #builder()}.
 *
 * <table>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>segmentBytes</td><td>64 MiB</td><td>a new segment is started when an append would take the
 *       current one past this size (a single larger record still gets a segment of its own)</td></tr>
 *   <tr><td>maxKeyBytes</td><td>1024</td><td>longest key accepted (at most 65535)</td></tr>
 *   <tr><td>maxValueBytes</td><td>32 MiB</td><td>largest value accepted</td></tr>
 *   <tr><td>compactionGarbageRatio</td><td>0.5</td><td>a sealed segment whose dead bytes / total bytes
 *       reaches this is compacted; must be in (0, 1]</td></tr>
 *   <tr><td>compactionIntervalMillis</td><td>60 000</td><td>delay between background compaction passes;
 *       0 disables them ({@link LogStore#compact()} still works)</td></tr>
 *   <tr><td>tombstoneGraceMillis</td><td>24 h</td><td>a tombstone older than this may be dropped when the
 *       oldest segment is compacted</td></tr>
 *   <tr><td>clock</td><td>System::currentTimeMillis</td><td>source of record timestamps and tombstone ages</td></tr>
 *   <tr><td>directIo</td><td>true</td><td>write the tail segment with O_DIRECT, which costs far less kernel CPU
 *       than page-cache writes followed by fsync; a file system that refuses O_DIRECT gets page-cache writes
 *       (logged once at INFO when the store opens)</td></tr>
 * </table>
 */
public final class StoreOptions {

    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 32 << 20;
    public static final double DEFAULT_COMPACTION_GARBAGE_RATIO = 0.5;
    public static final long DEFAULT_COMPACTION_INTERVAL_MILLIS = 60_000;
    public static final long DEFAULT_TOMBSTONE_GRACE_MILLIS = 24L * 60 * 60 * 1000;

    private static final int LARGEST_VALUE_BYTES =
            RecordFormat.MAX_RECORD_BYTES - RecordFormat.HEADER_BYTES - RecordFormat.MAX_KEY_BYTES;

    private final long segmentBytes;
    private final int maxKeyBytes;
    private final int maxValueBytes;
    private final double compactionGarbageRatio;
    private final long compactionIntervalMillis;
    private final long tombstoneGraceMillis;
    private final LongSupplier clock;
    private final boolean directIo;

    private StoreOptions(Builder b) {
        this.segmentBytes = b.segmentBytes;
        this.maxKeyBytes = b.maxKeyBytes;
        this.maxValueBytes = b.maxValueBytes;
        this.compactionGarbageRatio = b.compactionGarbageRatio;
        this.compactionIntervalMillis = b.compactionIntervalMillis;
        this.tombstoneGraceMillis = b.tombstoneGraceMillis;
        this.clock = b.clock;
        this.directIo = b.directIo;
    }

    public static StoreOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .segmentBytes(segmentBytes)
                .maxKeyBytes(maxKeyBytes)
                .maxValueBytes(maxValueBytes)
                .compactionGarbageRatio(compactionGarbageRatio)
                .compactionIntervalMillis(compactionIntervalMillis)
                .tombstoneGraceMillis(tombstoneGraceMillis)
                .clock(clock)
                .directIo(directIo);
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    public int maxKeyBytes() {
        return maxKeyBytes;
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }

    public double compactionGarbageRatio() {
        return compactionGarbageRatio;
    }

    public long compactionIntervalMillis() {
        return compactionIntervalMillis;
    }

    public long tombstoneGraceMillis() {
        return tombstoneGraceMillis;
    }

    public LongSupplier clock() {
        return clock;
    }

    public boolean directIo() {
        return directIo;
    }

    @Override
    public String toString() {
        return "StoreOptions{segmentBytes=" + segmentBytes + ", maxKeyBytes=" + maxKeyBytes
                + ", maxValueBytes=" + maxValueBytes + ", compactionGarbageRatio=" + compactionGarbageRatio
                + ", compactionIntervalMillis=" + compactionIntervalMillis
                + ", tombstoneGraceMillis=" + tombstoneGraceMillis + ", directIo=" + directIo + '}';
    }

    public static final class Builder {
        private long segmentBytes = DEFAULT_SEGMENT_BYTES;
        private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private double compactionGarbageRatio = DEFAULT_COMPACTION_GARBAGE_RATIO;
        private long compactionIntervalMillis = DEFAULT_COMPACTION_INTERVAL_MILLIS;
        private long tombstoneGraceMillis = DEFAULT_TOMBSTONE_GRACE_MILLIS;
        private LongSupplier clock = System::currentTimeMillis;
        private boolean directIo = true;

        private Builder() {
        }

        public Builder segmentBytes(long bytes) {
            require(bytes >= 1, "segmentBytes must be positive: " + bytes);
            this.segmentBytes = bytes;
            return this;
        }

        public Builder maxKeyBytes(int bytes) {
            require(bytes >= 1 && bytes <= RecordFormat.MAX_KEY_BYTES,
                    "maxKeyBytes must be in [1, " + RecordFormat.MAX_KEY_BYTES + "]: " + bytes);
            this.maxKeyBytes = bytes;
            return this;
        }

        public Builder maxValueBytes(int bytes) {
            require(bytes >= 0 && bytes <= LARGEST_VALUE_BYTES,
                    "maxValueBytes must be in [0, " + LARGEST_VALUE_BYTES + "]: " + bytes);
            this.maxValueBytes = bytes;
            return this;
        }

        public Builder compactionGarbageRatio(double ratio) {
            require(ratio > 0 && ratio <= 1, "compactionGarbageRatio must be in (0, 1]: " + ratio);
            this.compactionGarbageRatio = ratio;
            return this;
        }

        public Builder compactionIntervalMillis(long millis) {
            require(millis >= 0, "compactionIntervalMillis must not be negative: " + millis);
            this.compactionIntervalMillis = millis;
            return this;
        }

        public Builder tombstoneGraceMillis(long millis) {
            require(millis >= 0, "tombstoneGraceMillis must not be negative: " + millis);
            this.tombstoneGraceMillis = millis;
            return this;
        }

        /** Milliseconds since the epoch; tests pass a controllable clock. */
        public Builder clock(LongSupplier millis) {
            this.clock = Objects.requireNonNull(millis, "clock");
            return this;
        }

        public Builder directIo(boolean enabled) {
            this.directIo = enabled;
            return this;
        }

        public StoreOptions build() {
            return new StoreOptions(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
