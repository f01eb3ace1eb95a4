package org.elastichadoop.it;

import org.elastichadoop.kv.procs.FreePorts;
import org.junit.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code bin/iscsi-bench scale} as an operator runs it, on a small scale: ZooKeeper, three KV nodes and a bridge with
 * -Xmx256m from bin/, scattered 4 KiB writes through iSCSI, the heap row at each milestone, the bridge killed and a
 * new one serving a read; everything stopped and the data deleted at the end.
 */
public class ScaleBenchProgramIT {
    private static final Pattern ROW = Pattern.compile("^\\|\\s+([\\d,]+) \\|\\s+([\\d,]+) \\|\\s+([\\d,.]+) MiB \\| <= 256M", Pattern.MULTILINE);
    private static final Pattern REOPEN = Pattern.compile(
            "reopen after SIGKILL at ([\\d,]+) extents: the new bridge accepted iSCSI logins after ([\\d.]+) s and served its first"
                    + " read after ([\\d.]+) s \\(goal <= 5 s: (met|not met)\\)");

    @Test
    public void aSmallRunPrintsTheHeapAtEachMilestoneAndTheReopen() throws Exception {
        Path dir = Programs.WORK.resolve("scale-bench-" + System.nanoTime());
        Set<Integer> taken = new HashSet<>();
        int zk = FreePorts.belowEphemeral();
        taken.add(zk);
        int kv = kvBase(taken);
        int portal = FreePorts.belowEphemeral(taken);
        Programs.Result r = Programs.run(Map.of(), null, "iscsi-bench", "--dir", dir.toString(), "--log-zk-port", Integer.toString(zk),
                "--log-kv-port", Integer.toString(kv), "scale", "--volume-size", "64G", "--writes", "20000", "--milestones", "5000",
                "--port", Integer.toString(portal));
        String out = r.text();
        assertEquals("exit code; stdout:\n" + out + "\nstderr: " + r.err(), 0, r.exit());
        Matcher m = ROW.matcher(out);
        long[] expected = {5_000, 20_000};
        int rows = 0;
        while (m.find()) {
            assertTrue(out, rows < expected.length);
            assertEquals(out, expected[rows++], Long.parseLong(m.group(1).replace(",", "")));
            double iops = Double.parseDouble(m.group(2).replace(",", ""));
            double heapMib = Double.parseDouble(m.group(3).replace(",", ""));
            assertTrue("write IOPS " + iops + ": " + out, iops > 0);
            assertTrue("heap " + heapMib + " MiB after a full GC: " + out, heapMib > 1 && heapMib < 256);
        }
        assertEquals("a row per milestone: " + out, 2, rows);
        Matcher reopen = REOPEN.matcher(out);
        assertTrue(out, reopen.find());
        assertEquals("20,000", reopen.group(1));
        double up = Double.parseDouble(reopen.group(2));
        double read = Double.parseDouble(reopen.group(3));
        assertTrue(out, up > 0 && up <= read);
        assertEquals("the verdict follows the figure: " + out, read <= 5.0 ? "met" : "not met", reopen.group(4));
        assertTrue("a new bridge served a read " + read + " s after the old one was killed: " + out, read < 20);
        assertTrue(out, out.contains("qemu-img bench -f raw -w -d 32 -s 4K"));
        assertFalse("the store's data is deleted at the end", Files.exists(dir.resolve("log")));
    }

    /** A port P with P, P+1, P+2 (the KV nodes) and P+2000.. (their metrics) free. */
    private static int kvBase(Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = FreePorts.belowEphemeral(taken);
            if (base > 30_000 - 2002) continue;
            boolean free = true;
            for (int port : new int[] {base, base + 1, base + 2, base + 2000, base + 2001, base + 2002}) {
                try (ServerSocket s = new ServerSocket(port)) {
                    taken.add(port);
                } catch (IOException inUse) {
                    free = false;
                }
            }
            if (free) return base;
        }
        throw new IOException("no free run of KV ports");
    }
}
