package org.elastichadoop.slots.source;

import org.junit.Test;

import java.io.IOException;
import java.util.Collections;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The libvirt source with the real virsh (Debian's libvirt-clients, which bin/test installs) against
 * libvirt's built-in test driver (test:///default: a simulated host of 16 CPUs with one domain "test").
 */
public class VirshIT {

    @Test
    public void theRealVirshAgainstLibvirtsTestDriver() throws Exception {
        assertTrue("virsh is not installed; bin/test installs it (apt-get install libvirt-clients)",
                new java.io.File("/usr/bin/virsh").canExecute());
        VirshSource s = new VirshSource("test:///default", "tt1", Collections.singletonList("test"), 10_000, () -> 1L);
        assertFalse("one reading is no interval", s.read().isPresent());
        assertEquals("the test driver's host has 16 CPUs", 16, s.cpus());
        // the test driver's counters never move: no interval, and no error
        assertFalse(s.read().isPresent());
        VirshSource missing = new VirshSource("test:///default", "tt1", Collections.singletonList("no-such-vm"), 10_000, () -> 1L);
        try {
            missing.read();
            fail("read the CPU time of a domain that does not exist");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cpu-stats no-such-vm") && e.getMessage().contains("failed"));
        }
    }
}
