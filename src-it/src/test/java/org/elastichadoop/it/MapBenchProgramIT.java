package org.elastichadoop.it;

import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * bin/map-bench as an operator runs it (its own JVM, -Xmx256m by default): a short run prints a row per milestone,
 * and its figures hold what docs/benchmarks.md says of the map (bytes written well under 3% of the user bytes, the
 * heap far under its limit) and it leaves its pages behind it.
 */
public class MapBenchProgramIT {
    private static final Pattern ROW = Pattern.compile(
            "^\\s*([\\d,]+)\\s+([\\d,]+)\\s+(\\d+)\\s+([\\d.]+) MiB\\s+([\\d.]+) MiB\\s+([\\d.]+)\\s+([\\d,]+)\\s+([\\d.]+)%", Pattern.MULTILINE);

    @Test
    public void aShortRunPrintsEachMilestoneWithinTheGoals() throws Exception {
        Path dir = Programs.WORK.resolve("map-bench-" + System.nanoTime());
        Programs.Result r = Programs.run(Map.of(), null, "map-bench", "--extents", "300000", "--milestones", "100000",
                "--lookups", "1000", "--dir", dir.toString());
        assertEquals("exit code; stderr: " + r.err(), 0, r.exit());
        String out = r.text();
        Matcher m = ROW.matcher(out);
        int rows = 0;
        while (m.find()) {
            rows++;
            long writes = Long.parseLong(m.group(1).replace(",", ""));
            long records = Long.parseLong(m.group(2).replace(",", ""));
            double heapMib = Double.parseDouble(m.group(4));
            double mapPercent = Double.parseDouble(m.group(8));
            assertTrue(out, records > writes * 9 / 10 && records <= writes);
            assertTrue("map bytes " + mapPercent + "% of the user bytes: " + out, mapPercent > 0 && mapPercent < 3);
            assertTrue("heap " + heapMib + " MiB: " + out, heapMib > 0 && heapMib < 200);
        }
        assertEquals("a row at 100,000 and one at the end: " + out, 2, rows);
        assertTrue(out, out.contains("-Xmx256 MiB"));
        assertFalse("the pages are deleted when it ends", Files.exists(dir));
    }
}
