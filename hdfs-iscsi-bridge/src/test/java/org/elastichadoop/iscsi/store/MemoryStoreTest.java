package org.elastichadoop.iscsi.store;

import org.junit.Test;

import static org.junit.Assert.assertEquals;

public class MemoryStoreTest extends ImmutableStoreContract {
    private final MemoryStore store = new MemoryStore();

    @Override
    protected ImmutableStore store() {
        return store;
    }

    @Test
    public void storedBytesCountLiveEntriesOnly() throws Exception {
        store.putIfAbsent("x", new byte[1000]).get();
        store.putIfAbsent("y", new byte[24]).get();
        store.putIfAbsent("x", new byte[1000]).get(); // a retry stores nothing more
        assertEquals(1024, store.storedBytes());
        store.delete("x").get();
        assertEquals(24, store.storedBytes());
        assertEquals(1, store.entryCount());
    }
}
