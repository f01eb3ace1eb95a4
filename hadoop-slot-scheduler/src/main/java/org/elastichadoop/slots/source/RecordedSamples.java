package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of recorded figures, for replaying them through the policy (slotctl replay) or feeding a
 * test cluster: one sample per line, {@code TIME_MILLIS HOST CAPACITY_CORES OTHERS_CORES}, in time
 * order; blank lines and lines starting with '#' are skipped.
 */
public final class RecordedSamples {
    private RecordedSamples() {}

    public static List<HostFigures> load(Path file) throws IOException {
        List<HostFigures> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        long last = Long.MIN_VALUE;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 4) throw new IOException(where + ": expected TIME_MILLIS HOST CAPACITY_CORES OTHERS_CORES, got '" + line + "'");
            try {
                long time = Long.parseLong(f[0]);
                if (time < last) throw new IOException(where + ": time " + time + " is before the line above (" + last + ")");
                last = time;
                out.add(new HostFigures(f[1], time, Double.parseDouble(f[2]), Double.parseDouble(f[3])));
            } catch (NumberFormatException e) {
                throw new IOException(where + ": not a number in '" + line + "'");
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage());
            }
        }
        return out;
    }
}
