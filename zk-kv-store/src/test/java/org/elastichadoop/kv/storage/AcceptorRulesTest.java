package org.elastichadoop.kv.storage;

import static org.elastichadoop.kv.storage.StoreTestSupport.await;
import static org.elastichadoop.kv.storage.StoreTestSupport.bytes;
import static org.elastichadoop.kv.storage.StoreTestSupport.crc;
import static org.elastichadoop.kv.storage.StoreTestSupport.failureOf;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.elastichadoop.kv.storage.LogStore.Vote;
import org.junit.Test;

/** The replica's side of deciding a key: the acceptance and promise rules, and that they survive restarts and compaction. */
public class AcceptorRulesTest extends BothIoModes {
    private static final byte[] A = bytes("value A");
    private static final byte[] B = bytes("value B, longer");
    private static final byte[] KEY = bytes("k");
    private static final long FAST_1 = Ballots.of(0, 11);
    private static final long FAST_2 = Ballots.of(0, 22);
    private static final long ROUND_1 = Ballots.of(1, 5);
    private static final long ROUND_2 = Ballots.of(2, 5);

    private static Vote accept(LogStore store, long ballot, byte[] value) throws Exception {
        return await(store.accept(KEY, ballot, ByteBuffer.wrap(value), crc(value)));
    }

    private static EntryMeta held(LogStore store) {
        return store.acceptorState(KEY).held();
    }

    @Test
    public void theFastRoundTakesAValueOnlyWhereNothingIsHeld() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            assertEquals(Vote.ACCEPTED, accept(store, FAST_1, A));
            assertEquals("a retry of the same proposal", Vote.ACCEPTED, accept(store, FAST_1, A));
            assertEquals("another proposer with the same bytes", Vote.HOLDS_SAME, accept(store, FAST_2, A));
            assertEquals("another proposer with other bytes", Vote.REFUSED, accept(store, FAST_2, B));
            assertEquals(EntryMeta.State.PROVISIONAL, held(store).state());
            assertEquals(FAST_1, held(store).timestamp());
            assertNull("a provisional value is not the key's value", store.get(KEY));
            assertArrayEquals(A, store.getHeld(KEY).value());
        }
    }

    @Test
    public void aPromiseShutsOutLowerBallotsAndTheFastRound() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            assertTrue(await(store.promise(KEY, ROUND_2)));
            assertEquals(ROUND_2, store.acceptorState(KEY).promised());
            assertEquals("fast round after a promise", Vote.REFUSED, accept(store, FAST_1, A));
            assertEquals("lower classic ballot", Vote.REFUSED, accept(store, ROUND_1, A));
            assertFalse("a promise no higher than the last", await(store.promise(KEY, ROUND_1)));
            assertFalse(await(store.promise(KEY, ROUND_2)));
            assertEquals(Vote.ACCEPTED, accept(store, ROUND_2, B));
            assertArrayEquals(B, store.getHeld(KEY).value());
        }
    }

    @Test
    public void aHigherClassicBallotReplacesAProvisionalValue() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            assertEquals(Vote.ACCEPTED, accept(store, FAST_1, A));
            assertTrue(await(store.promise(KEY, ROUND_1)));
            assertEquals(Vote.ACCEPTED, accept(store, ROUND_1, B));
            assertEquals(ROUND_1, held(store).timestamp());
            assertEquals(Vote.REFUSED, accept(store, ROUND_1, A));
            assertArrayEquals(B, store.getHeld(KEY).value());
        }
    }

    @Test
    public void aCommittedValueIsFinal() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            accept(store, FAST_1, A);
            assertFalse("a commit of a classic ballot this replica did not accept", await(store.commit(KEY, ROUND_1, crc(A), A.length)));
            assertFalse("a commit of other bytes", await(store.commit(KEY, FAST_1, crc(B), B.length)));
            assertTrue(await(store.commit(KEY, FAST_1, crc(A), A.length)));
            assertTrue("commits repeat", await(store.commit(KEY, FAST_1, crc(A), A.length)));
            assertArrayEquals(A, store.get(KEY).value());
            assertEquals(EntryMeta.State.PRESENT, held(store).state());
            assertEquals(Vote.REFUSED, accept(store, Ballots.of(9, 1), B));
            assertEquals(Vote.HOLDS_SAME, accept(store, Ballots.of(9, 1), A));
            assertFalse(await(store.promise(KEY, Ballots.of(9, 2))));
            assertTrue(failureOf(store.put(KEY, ByteBuffer.wrap(B), crc(B))) instanceof ImmutableKeyException);
        }
    }

    @Test
    public void aPutOfTheChosenValueOverridesAProvisionalOne() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            accept(store, FAST_1, A);
            assertEquals(PutOutcome.STORED, await(store.put(KEY, ByteBuffer.wrap(B), crc(B))));
            assertArrayEquals(B, store.get(KEY).value());
            byte[] other = bytes("o");
            await(store.accept(other, FAST_1, ByteBuffer.wrap(A), crc(A)));
            assertEquals(PutOutcome.STORED, await(store.put(other, ByteBuffer.wrap(A), crc(A))));
            assertArrayEquals("the same bytes commit the provisional copy", A, store.get(other).value());
        }
    }

    @Test
    public void aDeletedKeyRefusesProposals() throws Exception {
        try (LogStore store = LogStore.open(tmp.newFolder().toPath(), testOptions().build())) {
            accept(store, FAST_1, A);
            await(store.delete(KEY));
            assertTrue(failureOf(store.accept(KEY, ROUND_1, ByteBuffer.wrap(A), crc(A))) instanceof DeletedKeyException);
            assertFalse(await(store.promise(KEY, ROUND_1)));
        }
    }

    @Test
    public void votesAndPromisesSurviveARestartAndCompaction() throws Exception {
        Path dir = tmp.newFolder().toPath();
        StoreOptions options = testOptions().segmentBytes(4096).build();
        byte[] filler = new byte[900];
        try (LogStore store = LogStore.open(dir, options)) {
            await(store.accept(bytes("provisional"), FAST_1, ByteBuffer.wrap(A), crc(A)));
            await(store.promise(bytes("promised"), ROUND_2));
            await(store.accept(bytes("committed"), FAST_2, ByteBuffer.wrap(B), crc(B)));
            await(store.commit(bytes("committed"), FAST_2, crc(B), B.length));
            for (int i = 0; i < 20; i++) { // seals the first segments, so recovery reads their hint files
                byte[] k = bytes("filler-" + i);
                await(store.put(k, ByteBuffer.wrap(filler), crc(filler)));
                await(store.delete(k));
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            try (LogStore store = LogStore.open(dir, options)) {
                assertEquals(EntryMeta.State.PROVISIONAL, store.meta(bytes("provisional")).state());
                assertEquals(FAST_1, store.meta(bytes("provisional")).timestamp());
                assertEquals(ROUND_2, store.acceptorState(bytes("promised")).promised());
                assertArrayEquals(B, store.get(bytes("committed")).value());
                assertNull(store.get(bytes("provisional")));
                if (pass == 0) {
                    store.compact();
                    assertArrayEquals("after compaction", B, store.get(bytes("committed")).value());
                    assertEquals(ROUND_2, store.acceptorState(bytes("promised")).promised());
                }
            }
        }
    }
}
