package org.elastichadoop.iscsi.store;

import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

/** What every {@link ImmutableStore} backend must do; each backend's test extends this. */
public abstract class ImmutableStoreContract {

    protected abstract ImmutableStore store();

    private final Random random = new Random(11);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static StoreException.Reason failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof StoreException s) return s.reason();
            throw new AssertionError("expected a StoreException, got " + cause, cause);
        }
        fail("the call succeeded but should have failed");
        return null;
    }

    @Test
    public void whatIsPutIsReadBackAndAbsentKeysReadAsNull() throws Exception {
        byte[] value = bytes(100_000);
        await(store().putIfAbsent("contract/a", value));
        assertArrayEquals(value, await(store().get("contract/a")));
        assertNull(await(store().get("contract/never-written")));
    }

    @Test
    public void aPrefixOfAnArrayIsStoredAsExactlyThoseBytes() throws Exception {
        byte[] array = bytes(70_000);
        await(store().putIfAbsent("contract/prefix", array, 65_536));
        assertArrayEquals(java.util.Arrays.copyOf(array, 65_536), await(store().get("contract/prefix")));
        await(store().putIfAbsent("contract/prefix", java.util.Arrays.copyOf(array, 65_536))); // the same bytes: a retry
    }

    @Test
    public void theSameBytesAgainAreARetryOtherBytesAreRefused() throws Exception {
        byte[] value = bytes(4096);
        await(store().putIfAbsent("contract/b", value));
        await(store().putIfAbsent("contract/b", value.clone()));
        byte[] other = value.clone();
        other[0] ^= 1;
        assertEquals(StoreException.Reason.EXISTS, failure(store().putIfAbsent("contract/b", other)));
        assertArrayEquals(value, await(store().get("contract/b")));
    }

    @Test
    public void aRangeIsThatPartOfTheValueCutAtItsEndAndASuffixCountsFromTheEnd() throws Exception {
        byte[] value = bytes(1_000_000);
        await(store().putIfAbsent("contract/range", value));
        long[][] asked = {{0, 4096}, {123_457, 8000}, {999_000, 4096}, {1_000_000, 10}, {2_000_000, 10}, {5, 0}, {-4116, 4116},
                {-2_000_000, 100}};
        for (long[] a : asked) {
            long start = a[0] < 0 ? Math.max(0, value.length + a[0]) : Math.min(a[0], value.length);
            byte[] expected = java.util.Arrays.copyOfRange(value, (int) start, (int) Math.min(value.length, start + a[1]));
            assertArrayEquals("offset " + a[0] + ", length " + a[1], expected, await(store().getRange("contract/range", a[0], (int) a[1])));
        }
        assertNull(await(store().getRange("contract/never-written", 0, 10)));
        await(store().delete("contract/range"));
        assertNull(await(store().getRange("contract/range", 0, 10)));
    }

    @Test
    public void aDeletedKeyReadsAsNullAndCannotBeStoredAgain() throws Exception {
        byte[] value = bytes(512);
        await(store().putIfAbsent("contract/c", value));
        await(store().delete("contract/c"));
        assertNull(await(store().get("contract/c")));
        assertEquals(StoreException.Reason.DELETED, failure(store().putIfAbsent("contract/c", value)));
    }

    @Test
    public void manyConcurrentPutsOfLargeValuesAllLand() throws Exception {
        List<byte[]> values = new ArrayList<>();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            byte[] v = bytes(1 << 20);
            values.add(v);
            puts.add(store().putIfAbsent("contract/many/" + i, v));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
        for (int i = 0; i < values.size(); i++) {
            assertArrayEquals("entry " + i, values.get(i), await(store().get("contract/many/" + i)));
        }
    }
}
