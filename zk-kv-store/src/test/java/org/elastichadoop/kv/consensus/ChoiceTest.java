package org.elastichadoop.kv.consensus;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.elastichadoop.kv.storage.Ballots;
import org.elastichadoop.kv.wire.KeyState;
import org.elastichadoop.kv.wire.ReplicaState;
import org.junit.Test;

/** The quorum arithmetic, RF 3 / W 2 unless a test says otherwise. */
public class ChoiceTest {
    private final Choice choice = new Choice(3, 2);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ReplicaState provisional(long ballot, String value) {
        byte[] v = bytes(value);
        return new ReplicaState(KeyState.State.PROVISIONAL, ballot, -1, KvChecksum.crc32c(v), v.length, v);
    }

    private static ReplicaState committed(String value) {
        byte[] v = bytes(value);
        return new ReplicaState(KeyState.State.PRESENT, 0, -1, KvChecksum.crc32c(v), v.length, v);
    }

    private static final ReplicaState EMPTY = ReplicaState.EMPTY;

    @Test
    public void wMustBeAMajority() {
        assertThrows(IllegalArgumentException.class, () -> new Choice(3, 1));
        assertThrows(IllegalArgumentException.class, () -> new Choice(4, 2));
        assertThrows(IllegalArgumentException.class, () -> new Choice(3, 4));
        assertEquals(2, new Choice(3, 2).readQuorum());
        assertEquals(1, new Choice(3, 3).readQuorum());
        assertEquals(3, new Choice(5, 3).readQuorum());
    }

    @Test
    public void aValueIsChosenByWVotesInOneRoundOrByAnyCommit() {
        assertNull("one vote", choice.chosen(List.of(provisional(Ballots.of(0, 1), "a"), EMPTY)));
        assertArrayEquals("two fast votes, different proposers, same bytes", bytes("a"),
                choice.chosen(List.of(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "a"))).value());
        assertNull("two classic votes in different ballots",
                choice.chosen(List.of(provisional(Ballots.of(1, 1), "a"), provisional(Ballots.of(2, 1), "a"))));
        assertNull("a split", choice.chosen(List.of(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"))));
        assertArrayEquals(bytes("b"), choice.chosen(List.of(EMPTY, committed("b"))).value());
    }

    @Test
    public void theHighestClassicBallotWins() {
        Choice.Decision d = choice.decide(List.of(provisional(Ballots.of(0, 9), "fast"), provisional(Ballots.of(1, 1), "one"),
                provisional(Ballots.of(2, 1), "two")), 0);
        assertArrayEquals(bytes("two"), ((Choice.Propose) d).value().value());
    }

    @Test
    public void aFastValueThatWReplicasCouldHoldMustBeProposed() {
        // a on one replica, the other answered empty, the third is silent: a may sit on the silent one too
        Choice.Decision d = choice.decide(List.of(provisional(Ballots.of(0, 1), "a"), EMPTY), 1);
        assertArrayEquals(bytes("a"), ((Choice.Propose) d).value().value());
        // all three answered, a on one: no two replicas hold it, so nothing was chosen
        assertTrue(choice.decide(List.of(provisional(Ballots.of(0, 1), "a"), EMPTY, EMPTY), 0) instanceof Choice.Free);
    }

    @Test
    public void aSplitWithASilentReplicaIsAmbiguousAndAFullSplitIsFree() {
        List<ReplicaState> split = List.of(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"));
        assertTrue("either could sit on the silent replica", choice.decide(split, 1) instanceof Choice.Ambiguous);
        List<ReplicaState> threeWay = List.of(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"),
                provisional(Ballots.of(0, 3), "c"));
        assertTrue("no value has two replicas", choice.decide(threeWay, 0) instanceof Choice.Free);
        List<ReplicaState> twoOfThree = List.of(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"),
                provisional(Ballots.of(0, 3), "a"));
        assertArrayEquals(bytes("a"), ((Choice.Propose) choice.decide(twoOfThree, 0)).value().value());
    }

    @Test
    public void aCommittedCopyIsKnown() {
        assertTrue(choice.decide(List.of(provisional(Ballots.of(5, 1), "x"), committed("y")), 1) instanceof Choice.Known);
    }

    @Test
    public void sameLengthAndCrcButOtherBytesAreOtherValues() {
        ReplicaState a = provisional(Ballots.of(0, 1), "a");
        ReplicaState forged = new ReplicaState(KeyState.State.PROVISIONAL, Ballots.of(0, 2), -1, a.valueCrc(), 1, bytes("z"));
        assertNull(choice.chosen(List.of(a, forged)));
    }
}
