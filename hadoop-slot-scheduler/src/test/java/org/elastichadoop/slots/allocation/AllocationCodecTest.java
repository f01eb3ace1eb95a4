package org.elastichadoop.slots.allocation;

import org.junit.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** What the scheduler accepts from ZooKeeper: valid allocations only, with errors that say what is wrong. */
public class AllocationCodecTest {

    private static Allocation decode(String json) {
        return AllocationCodec.decode(json.getBytes(StandardCharsets.UTF_8), "/slots/allocations/tt1");
    }

    private static void refused(String json, String why) {
        try {
            decode(json);
            fail("accepted " + json);
        } catch (InvalidAllocationException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("/slots/allocations/tt1: "));
            assertTrue(e.getMessage(), e.getMessage().contains(why));
        }
    }

    @Test
    public void anAllocationSurvivesTheRoundTrip() {
        Allocation a = new Allocation("tracker_tt1:localhost/127.0.0.1:40000", 3, 1, 17, 1_790_000_000_000L, "others 2.0 of 4.0 cores");
        Allocation back = AllocationCodec.decode(AllocationCodec.encode(a), "x");
        assertEquals(a, back);
        String json = new String(AllocationCodec.encode(a), StandardCharsets.UTF_8);
        assertTrue(json, json.contains("\"maps\":3") && json.contains("\"timestamp\":1790000000000") && json.contains("\"version\":17"));
    }

    @Test
    public void unknownFieldsAreIgnoredAndTheReasonIsOptional() {
        Allocation a = decode("{\"tracker\":\"tt1\",\"maps\":2,\"reduces\":0,\"version\":1,\"timestamp\":5,\"by\":\"controller-2\"}");
        assertEquals(2, a.maps());
        assertEquals("", a.reason());
    }

    @Test
    public void badAllocationsAreRefused() {
        refused("{\"tracker\":\"tt1\",\"maps\":-1,\"reduces\":0,\"version\":1,\"timestamp\":5}", "-1 maps");
        refused("{\"tracker\":\"tt1\",\"maps\":5000,\"reduces\":0,\"version\":1,\"timestamp\":5}", "between 0 and 1024");
        refused("{\"tracker\":\"tt1\",\"maps\":2,\"reduces\":0,\"version\":-3,\"timestamp\":5}", "negative version");
        refused("{\"tracker\":\"tt1\",\"maps\":2,\"reduces\":0,\"version\":1,\"timestamp\":0}", "no timestamp");
        refused("{\"tracker\":\"\",\"maps\":2,\"reduces\":0,\"version\":1,\"timestamp\":5}", "names no tracker");
        refused("{\"tracker\":\"tt1\",\"reduces\":0,\"version\":1,\"timestamp\":5}", "not an allocation");
        refused("{\"tracker\":\"tt1\",\"maps\":2.5,\"reduces\":0,\"version\":1,\"timestamp\":5}", "not an allocation");
        refused("{\"tracker\":\"tt1\",\"maps\":null,\"reduces\":0,\"version\":1,\"timestamp\":5}", "not an allocation");
        refused("{\"tracker\":\"tt1\",\"maps\":\"many\",\"reduces\":0,\"version\":1,\"timestamp\":5}", "not an allocation");
        refused("{\"tracker\":\"tt1\",\"maps\":2", "not an allocation");
        refused("maps=2", "not an allocation");
        refused("", "empty");
    }
}
