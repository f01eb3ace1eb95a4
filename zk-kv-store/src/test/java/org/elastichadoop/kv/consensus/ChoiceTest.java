package org.elastichadoop.kv.consensus;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final List<Set<String>> ONE = List.of(new LinkedHashSet<>(List.of("a", "b", "c")));

    /** The answers of replicas a, b, c in that order; the ones not given did not answer. */
    private static Map<String, ReplicaState> answers(ReplicaState... states) {
        Map<String, ReplicaState> out = new LinkedHashMap<>();
        String[] ids = {"a", "b", "c", "d"};
        for (int i = 0; i < states.length; i++) {
            out.put(ids[i], states[i]);
        }
        return out;
    }

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
        assertNull("one vote", choice.chosen(answers(provisional(Ballots.of(0, 1), "a"), EMPTY), ONE));
        assertArrayEquals("two fast votes, different proposers, same bytes", bytes("a"),
                choice.chosen(answers(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "a")), ONE).value());
        assertNull("two classic votes in different ballots",
                choice.chosen(answers(provisional(Ballots.of(1, 1), "a"), provisional(Ballots.of(2, 1), "a")), ONE));
        assertNull("a split", choice.chosen(answers(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b")), ONE));
        assertArrayEquals(bytes("b"), choice.chosen(answers(EMPTY, committed("b")), ONE).value());
    }

    @Test
    public void theHighestClassicBallotWins() {
        Choice.Decision d = choice.decide(answers(provisional(Ballots.of(0, 9), "fast"), provisional(Ballots.of(1, 1), "one"),
                provisional(Ballots.of(2, 1), "two")), ONE);
        assertArrayEquals(bytes("two"), ((Choice.Propose) d).value().value());
    }

    @Test
    public void aFastValueThatWReplicasCouldHoldMustBeProposed() {
        // a on one replica, the other answered empty, the third is silent: a may sit on the silent one too
        Choice.Decision d = choice.decide(answers(provisional(Ballots.of(0, 1), "a"), EMPTY), ONE);
        assertArrayEquals(bytes("a"), ((Choice.Propose) d).value().value());
        // all three answered, a on one: no two replicas hold it, so nothing was chosen
        assertTrue(choice.decide(answers(provisional(Ballots.of(0, 1), "a"), EMPTY, EMPTY), ONE) instanceof Choice.Free);
    }

    @Test
    public void aSplitWithASilentReplicaIsAmbiguousAndAFullSplitIsFree() {
        Map<String, ReplicaState> split = answers(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"));
        assertTrue("either could sit on the silent replica", choice.decide(split, ONE) instanceof Choice.Ambiguous);
        Map<String, ReplicaState> threeWay = answers(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"),
                provisional(Ballots.of(0, 3), "c"));
        assertTrue("no value has two replicas", choice.decide(threeWay, ONE) instanceof Choice.Free);
        Map<String, ReplicaState> twoOfThree = answers(provisional(Ballots.of(0, 1), "a"), provisional(Ballots.of(0, 2), "b"),
                provisional(Ballots.of(0, 3), "a"));
        assertArrayEquals(bytes("a"), ((Choice.Propose) choice.decide(twoOfThree, ONE)).value().value());
    }

    @Test
    public void aCommittedCopyIsKnown() {
        assertTrue(choice.decide(answers(provisional(Ballots.of(5, 1), "x"), committed("y")), ONE) instanceof Choice.Known);
    }

    @Test
    public void sameLengthAndCrcButOtherBytesAreOtherValues() {
        ReplicaState a = provisional(Ballots.of(0, 1), "a");
        ReplicaState forged = new ReplicaState(KeyState.State.PROVISIONAL, Ballots.of(0, 2), -1, a.valueCrc(), 1, bytes("z"));
        assertNull(choice.chosen(answers(a, forged), ONE));
    }

    /** While a node joins, replica d replaces c for this key: quorums are needed in {a,b,c} and in {a,b,d}. */
    private static final List<Set<String>> JOINT = List.of(new LinkedHashSet<>(List.of("a", "b", "c")),
            new LinkedHashSet<>(List.of("a", "b", "d")));

    @Test
    public void duringARingChangeVotesAndPromisesNeedAQuorumInEachReplicaSet() {
        assertTrue(choice.votesChoose(Set.of("a", "b"), JOINT));
        assertTrue("c and d make W in neither set alone", !choice.votesChoose(Set.of("a", "c"), JOINT));
        assertTrue(choice.votesChoose(Set.of("a", "c", "d"), JOINT));
        assertTrue(choice.quorumInEach(Set.of("c", "d"), JOINT) == false);
        assertTrue(choice.quorumInEach(Set.of("a", "c", "d"), JOINT));
    }

    @Test
    public void duringARingChangeAValueChosenInEitherSetCounts() {
        // chosen before the change, on a and c; the joining d holds nothing yet
        Map<String, ReplicaState> old = new LinkedHashMap<>();
        old.put("a", provisional(Ballots.of(0, 1), "x"));
        old.put("c", provisional(Ballots.of(0, 1), "x"));
        old.put("b", EMPTY);
        old.put("d", EMPTY);
        assertArrayEquals(bytes("x"), choice.chosen(old, JOINT).value());
        assertTrue("not empty while c's set holds it", !choice.provenEmpty(old, JOINT));
        // only b and d answered, both empty: the old set has one empty answer, too few to say 'no entry'
        Map<String, ReplicaState> partial = new LinkedHashMap<>();
        partial.put("b", EMPTY);
        partial.put("d", EMPTY);
        assertTrue(!choice.provenEmpty(partial, JOINT));
        partial.put("a", EMPTY);
        assertTrue(choice.provenEmpty(partial, JOINT));
    }

    /**
     * While d joins, x won the fast round on b and c (W of the current set {a,b,c}), y on a and d (W of the next set
     * {a,b,d} only). Neither is chosen by the joint rule, and x may have been chosen before the change began; y cannot
     * have been. Taking W of either set as proof let two readers commit x and y on different replicas.
     */
    @Test
    public void wInTheNextSetAloneProvesNothingWhileTheRingChanges() {
        Map<String, ReplicaState> seen = new LinkedHashMap<>();
        seen.put("a", provisional(Ballots.of(0, 2), "y"));
        seen.put("d", provisional(Ballots.of(0, 3), "y"));
        assertNull("y has W only in the next set", choice.chosen(seen, JOINT));
        seen.put("b", provisional(Ballots.of(0, 1), "x"));
        seen.put("c", provisional(Ballots.of(0, 4), "x"));
        assertArrayEquals("x has W in the current set", bytes("x"), choice.chosen(seen, JOINT).value());
        // a classic round hearing the same proposes neither: y may have been decided under the next ring by then
        assertTrue(choice.decide(seen, JOINT) instanceof Choice.Ambiguous);
    }
}
