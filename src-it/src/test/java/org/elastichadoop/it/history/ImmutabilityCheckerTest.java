package org.elastichadoop.it.history;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.elastichadoop.it.history.Event.Kind;
import org.elastichadoop.it.history.Event.Outcome;
import org.junit.Test;

/** The checker on small histories written by hand: the findings of issue 10 are each caught, legal races are not. */
public class ImmutabilityCheckerTest {
    private final List<Event> h = new ArrayList<>();

    private void put(String client, String value, long from, long to, Outcome o) {
        h.add(new Event(client, Kind.PUT, "k", value, from * 1_000_000, to * 1_000_000, o));
    }

    private void get(String client, String value, long from, long to, Outcome o) {
        h.add(new Event(client, Kind.GET, "k", value, from * 1_000_000, to * 1_000_000, o));
    }

    private List<String> violations() {
        return ImmutabilityChecker.check(h);
    }

    @Test
    public void raceWonByOneWriterWithReadsBeforeDuringAndAfterIsLegal() {
        get("r", null, 0, 1, Outcome.NO_ENTRY);
        put("a", "A", 2, 10, Outcome.ACKNOWLEDGED);
        put("b", "B", 2, 11, Outcome.REFUSED);
        put("c", "C", 3, 30, Outcome.UNKNOWN);
        get("r", null, 4, 5, Outcome.NO_ENTRY); // concurrent with the put of A: either answer is fine
        get("r", "A", 6, 7, Outcome.FOUND);
        get("r", null, 8, 40, Outcome.UNKNOWN);
        get("r", "A", 12, 13, Outcome.FOUND);
        put("d", "A", 14, 15, Outcome.ACKNOWLEDGED); // the same bytes again
        assertEquals(List.of(), violations());
    }

    @Test
    public void aRefusedPutThatBecomesTheValueIsCaught() {
        for (String w : List.of("w0", "w1", "w2", "w3")) {
            put(w, w, 0, 5, Outcome.REFUSED);
        }
        get("r", "w1", 6, 7, Outcome.FOUND);
        List<String> v = violations();
        assertEquals(v.toString(), 1, v.size());
        assertTrue(v.get(0), v.get(0).contains("(a refused put's)"));
    }

    @Test
    public void anAcknowledgedValueReplacedByARefusedOneIsCaught() {
        put("a", "A", 0, 2, Outcome.ACKNOWLEDGED);
        put("b", "B", 3, 4, Outcome.REFUSED);
        get("r", "B", 5, 6, Outcome.FOUND);
        List<String> v = violations();
        assertEquals(v.toString(), 2, v.size());
        assertTrue(v.get(0), v.get(0).contains("refused put's"));
        assertTrue(v.get(1), v.get(1).contains("after the acknowledgement of A got B"));
    }

    @Test
    public void twoAcknowledgedValuesAreCaught() {
        put("a", "A", 0, 2, Outcome.ACKNOWLEDGED);
        put("b", "B", 0, 2, Outcome.ACKNOWLEDGED);
        assertTrue(violations().toString(), violations().get(0).contains("2 values acknowledged"));
    }

    @Test
    public void noEntryAfterAnAcknowledgementIsCaught() {
        put("a", "A", 0, 2, Outcome.ACKNOWLEDGED);
        get("r", null, 3, 4, Outcome.NO_ENTRY);
        assertTrue(violations().toString(), violations().get(0).contains("after the acknowledgement of A got no entry"));
    }

    @Test
    public void aValueThatWasReadAndThenVanishesIsCaught() {
        put("a", "A", 0, 100, Outcome.UNKNOWN);
        get("r", "A", 1, 2, Outcome.FOUND);
        get("r", null, 3, 4, Outcome.NO_ENTRY);
        List<String> v = violations();
        assertEquals(v.toString(), 1, v.size());
        assertTrue(v.get(0), v.get(0).contains("A was read, then a later read got no entry"));
    }
}
