package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Direct buffers for frames of a megabyte and more, reused on the thread that takes them (each event loop keeps
 * its own few). Netty's pooled allocator serves a buffer larger than its chunk from a fresh allocation, and one
 * nearly as large from a chunk of its own that it frees as soon as that buffer is released: either way the JDK
 * zeroes new memory and the kernel faults it in, for every 4 MiB segment a node receives or a client sends
 * (`perf`: 12-19% of a KV node's CPU under sequential writes).
 *
 * <p>A kept buffer holds one reference of its own; it is free again when that is the only one left
 * ({@code refCnt() == 1}), i.e. when every frame and value sliced from it was released. Nobody else can then
 * take a new reference to it, so reusing it cannot change bytes a holder still reads.
 */
public final class LargeBuffers {
    /** Smaller buffers come from the allocator's pools as usual. */
    public static final int MIN_BYTES = 1 << 20;
    /** Buffers kept per thread; more in use at once come from the allocator and are not kept. */
    static final int KEPT_PER_THREAD = 4;

    private static final FastThreadLocal<LargeBuffers> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected LargeBuffers initialValue() {
            return new LargeBuffers(KEPT_PER_THREAD);
        }

        @Override
        protected void onRemoval(LargeBuffers buffers) {
            buffers.releaseAll();
        }
    };

    private final ByteBuf[] kept;
    private long reused;
    private long allocated;

    LargeBuffers(int keep) {
        this.kept = new ByteBuf[keep];
    }

    /** A direct buffer of at least {@code capacity} bytes, empty, for the caller to release: this thread's pool when large. */
    public static ByteBuf directBuffer(ByteBufAllocator alloc, int capacity) {
        return capacity < MIN_BYTES ? alloc.ioBuffer(capacity) : PER_THREAD.get().take(alloc, capacity);
    }

    /** This thread's buffers (for tests). */
    static LargeBuffers ofThisThread() {
        return PER_THREAD.get();
    }

    ByteBuf take(ByteBufAllocator alloc, int capacity) {
        int spare = -1;
        for (int i = 0; i < kept.length; i++) {
            ByteBuf b = kept[i];
            if (b == null) {
                if (spare < 0 || kept[spare] != null) spare = i; // an empty slot rather than a buffer to replace
            } else if (b.refCnt() == 1) {
                if (b.capacity() >= capacity) {
                    reused++;
                    return b.clear().retain();
                }
                if (spare < 0) spare = i; // free but too small: replaced by a bigger one
            }
        }
        allocated++;
        // rounded up to whole megabytes so that slightly different frame sizes share buffers
        ByteBuf fresh = alloc.directBuffer((int) Math.min(Integer.MAX_VALUE - 8, ((long) capacity + MIN_BYTES - 1) / MIN_BYTES * MIN_BYTES));
        if (spare < 0) return fresh; // every kept buffer is in use
        if (kept[spare] != null) kept[spare].release();
        kept[spare] = fresh;
        return fresh.retain();
    }

    long reused() {
        return reused;
    }

    long allocated() {
        return allocated;
    }

    void releaseAll() {
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != null) kept[i].release();
            kept[i] = null;
        }
    }
}
