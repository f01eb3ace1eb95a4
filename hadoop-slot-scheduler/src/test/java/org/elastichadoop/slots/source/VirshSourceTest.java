package org.elastichadoop.slots.source;

import org.junit.Test;

import java.io.IOException;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** virsh's output as libvirt 9 prints it (recorded), parsed; errors for what is missing. */
public class VirshSourceTest {

    @Test
    public void recordedOutputsParse() throws Exception {
        assertEquals(16, VirshSource.parseCpus("CPU model:           x86_64\nCPU(s):              16\nCPU frequency:       1400 MHz\n"));
        assertArrayEquals(new long[] {9797400000L, 34678723400000L, 87264900000L, 763600000L},
                VirshSource.parseNode("user:                     9797400000\nsystem:               34678723400000\n"
                        + "idle:                    87264900000\niowait:                    763600000\n"));
        assertEquals(48.772617035, VirshSource.parseCpuTime("Total:\n\tcpu_time            48.772617035 seconds\n"
                + "\tuser_time            5.540000000 seconds\n", "hadoop1"), 1e-12);
    }

    @Test
    public void incompleteOutputsAreErrors() {
        String[][] bad = {{"nodeinfo", "CPU model: x86_64\n"}, {"node", "user: 1\nsystem: 2\nidle: 3\n"}, {"cpu", "Total:\n\tuser_time 1.0 seconds\n"}};
        for (String[] b : bad) {
            try {
                if (b[0].equals("nodeinfo")) VirshSource.parseCpus(b[1]);
                else if (b[0].equals("node")) VirshSource.parseNode(b[1]);
                else VirshSource.parseCpuTime(b[1], "hadoop1");
                fail("parsed " + b[1]);
            } catch (IOException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("virsh "));
            }
        }
    }
}
