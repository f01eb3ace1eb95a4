package org.elastichadoop.slots.policy;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The policy against expectations computed by hand (in the comments). Defaults: target 0.8, a map or
 * reduce slot costs 1 core, a quarter of Hadoop's cores go to reduces, maps [0, 8], reduces [0, 4],
 * smoothing 0.5, hysteresis 0.3 slots, at most 2 slots per step.
 */
public class SlotPolicyTest {

    private static HostFigures host(double capacity, double others) {
        return new HostFigures("h", 1, capacity, others);
    }

    private static void expect(Slots s, int maps, int reduces) {
        assertEquals("maps: " + s, maps, s.maps);
        assertEquals("reduces: " + s, reduces, s.reduces);
    }

    @Test
    public void firstDecisionsTable() {
        double[][] table = {
                // capacity, others, maps, reduces
                {8, 0, 4, 1},     // 0.8*8 = 6.4 cores: maps 4.8 -> 4, reduces 1.6 -> 1
                {8, 2.4, 3, 1},   // 6.4 - 2.4 = 4.0: maps 3.0 -> 3, reduces 1.0 -> 1
                {4, 4, 0, 0},     // 3.2 - 4 < 0 -> 0 cores
                {16, 0, 8, 3},    // 12.8: maps 9.6 -> 9, clamped to 8; reduces 3.2 -> 3
                {2, 0.5, 0, 0},   // 1.6 - 0.5 = 1.1: maps 0.825 -> 0, reduces 0.275 -> 0
                {32, 1, 8, 4},    // 24.6: maps 18.45 -> 8 (clamped), reduces 6.15 -> 4 (clamped)
        };
        for (double[] row : table) {
            Slots s = new SlotPolicy(PolicySettings.defaults()).decide("t", host(row[0], row[1]));
            expect(s, (int) row[2], (int) row[3]);
        }
    }

    @Test
    public void busyNeighboursShrinkTheTrackerGraduallyAndQuietOnesGrowItBack() {
        SlotPolicy p = new SlotPolicy(PolicySettings.defaults());
        expect(p.decide("t", host(8, 0)), 4, 1);   // average 6.4: maps 4.8, reduces 1.6
        expect(p.decide("t", host(8, 6.4)), 2, 1); // raw 0, average 3.2: maps 2.4 -> 2; reduces 0.8 held at 1 (0.2 < 0.3)
        expect(p.decide("t", host(8, 6.4)), 1, 0); // average 1.6: maps 1.2 -> 1; reduces 0.4 -> 0
        expect(p.decide("t", host(8, 0)), 3, 1);   // average 0.5*6.4 + 0.5*1.6 = 4.0: maps 3.0, reduces 1.0
        expect(p.decide("t", host(8, 0)), 3, 1);   // average 5.2: maps 3.9 -> 3, reduces 1.3 -> 1
        expect(p.decide("t", host(8, 0)), 4, 1);   // average 5.8: maps 4.35 -> 4, reduces 1.45 -> 1
    }

    @Test
    public void theStepIsLimited() {
        PolicySettings s = new PolicySettings(0.8, 1, 1, 0.25, 0, 8, 0, 4, 1.0, 0.3, 1);
        SlotPolicy p = new SlotPolicy(s);
        expect(p.decide("t", host(8, 8)), 0, 0);   // nothing free
        Slots up = p.decide("t", host(8, 0));      // 6.4 cores: maps 4.8 -> 4, but one step at a time
        expect(up, 1, 1);
        assertTrue(up.reason, up.reason.contains("maps limited to 1 per step"));
        expect(p.decide("t", host(8, 0)), 2, 1);
        expect(p.decide("t", host(8, 0)), 3, 1);
        expect(p.decide("t", host(8, 0)), 4, 1);
        expect(p.decide("t", host(8, 0)), 4, 1);
    }

    @Test
    public void hysteresisKeepsCountsFromFlappingAroundABoundary() {
        PolicySettings s = new PolicySettings(0.8, 1, 1, 0.25, 0, 8, 0, 4, 1.0, 0.3, 2);
        SlotPolicy p = new SlotPolicy(s);
        expect(p.decide("t", host(4, 0)), 2, 0);     // 3.2 cores: maps 2.4 -> 2
        expect(p.decide("t", host(4, 0.8)), 2, 0);   // 2.4: maps 1.8, within 0.3 of 2: held
        expect(p.decide("t", host(4, 1.0)), 1, 0);   // 2.2: maps 1.65, 0.35 below 2: down to 1
        expect(p.decide("t", host(4, 0.8)), 1, 0);   // 2.4: maps 1.8 -> 1: no flap back up
        expect(p.decide("t", host(4, 0.5)), 2, 0);   // 2.7: maps 2.025 -> 2
    }

    @Test
    public void trackersAreIndependentAndAForgottenOneStartsAfresh() {
        SlotPolicy p = new SlotPolicy(PolicySettings.defaults());
        expect(p.decide("a", host(8, 0)), 4, 1);
        expect(p.decide("b", host(8, 8)), 0, 0);
        expect(p.decide("a", host(8, 0)), 4, 1);
        p.forget("b");
        expect(p.decide("b", host(8, 0)), 4, 1);     // no average carried over from before
    }

    @Test
    public void badSettingsAndFiguresAreRefusedByName() {
        try {
            new PolicySettings(1.5, 1, 1, 0.25, 0, 8, 0, 4, 0.5, 0.3, 2);
            fail("target utilisation 1.5 accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'targetUtilisation' is 1.5"));
        }
        try {
            new PolicySettings(0.8, 1, 1, 0.25, 5, 2, 0, 4, 0.5, 0.3, 2);
            fail("min maps above max accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'minMaps/maxMaps' is 5/2"));
        }
        for (double[] bad : new double[][] {{0, 0}, {-4, 0}, {Double.NaN, 0}, {4, -1}, {4, Double.NaN}, {Double.POSITIVE_INFINITY, 0}}) {
            try {
                host(bad[0], bad[1]);
                fail("figures " + bad[0] + "/" + bad[1] + " accepted");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("h: "));
            }
        }
        assertEquals("others beyond the capacity count as all of it", 4.0, host(4, 9).othersCores(), 0);
    }
}
