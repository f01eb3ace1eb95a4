package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * CPU pressure (Linux PSI, {@code /proc/pressure/cpu}) of a host or VM: the share of the last 10 s in
 * which some task was ready to run but waited for a CPU. Taken as the share of the host's cores that
 * others hold: with {@code capacityCores} cores and "some avg10=40", others = 0.4 x capacity. It needs
 * no previous reading, and it sees contention from anything, steal included.
 */
public final class PressureSource implements HostCpuSource {
    private final Path path;
    private final String host;
    private final double capacityCores;
    private final LongSupplier clock;

    public PressureSource(Path path, String host, double capacityCores, LongSupplier clock) {
        if (!(capacityCores > 0)) throw new IllegalArgumentException(host + ": capacity must be a positive number of cores");
        this.path = path;
        this.host = host;
        this.capacityCores = capacityCores;
        this.clock = clock;
    }

    @Override
    public Optional<HostFigures> read() throws IOException {
        for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
            if (!line.startsWith("some ")) continue;
            for (String field : line.substring(5).trim().split("\\s+")) {
                if (!field.startsWith("avg10=")) continue;
                double pct;
                try {
                    pct = Double.parseDouble(field.substring(6));
                } catch (NumberFormatException e) {
                    throw new IOException(path + ": avg10 is not a number: '" + field + "'");
                }
                if (!(pct >= 0 && pct <= 100)) throw new IOException(path + ": avg10 " + pct + " is not a percentage");
                return Optional.of(new HostFigures(host, clock.getAsLong(), capacityCores, pct / 100 * capacityCores));
            }
        }
        throw new IOException(path + ": no 'some avg10=' line (a kernel with PSI, 4.20 or later, booted with psi=1?)");
    }

    @Override
    public String describe() {
        return path + " of " + host + " (pressure)";
    }
}
