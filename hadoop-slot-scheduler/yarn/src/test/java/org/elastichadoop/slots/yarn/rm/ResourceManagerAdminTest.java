package org.elastichadoop.slots.yarn.rm;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** The overcommit timeout as the RM takes it: milliseconds (YarnDaemonsIT checks the grace in a real RM's log). */
public class ResourceManagerAdminTest {
    @Test
    public void theGraceGoesToTheResourceManagerInMilliseconds() {
        assertEquals(60_000, ResourceManagerAdmin.overcommitTimeoutMillis(60));
        assertEquals(0, ResourceManagerAdmin.overcommitTimeoutMillis(0));
        assertEquals("never", -1, ResourceManagerAdmin.overcommitTimeoutMillis(-1));
        assertEquals(86_400_000, ResourceManagerAdmin.overcommitTimeoutMillis(86_400));
    }
}
