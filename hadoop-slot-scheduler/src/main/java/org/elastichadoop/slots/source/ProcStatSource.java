package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * CPU figures from a Linux {@code /proc/stat}, in one of two readings:
 * <ul>
 *   <li>{@link Mode#GUEST}: read inside the TaskTracker's VM. What the neighbours on the hypervisor take
 *   shows as steal time (ticks this VM wanted a CPU and the hypervisor ran someone else), so
 *   others = steal.</li>
 *   <li>{@link Mode#HOST}: read on the physical host. Others = the host's busy time less Hadoop's own
 *   (given in cores, e.g. what the TaskTracker hook reports for its VM or tasks).</li>
 * </ul>
 */
public final class ProcStatSource implements HostCpuSource {
    public enum Mode { GUEST, HOST }

    private final Path path;
    private final String host;
    private final Mode mode;
    private final DoubleSupplier hadoopCores;
    private final LongSupplier clock;
    private CpuCounters previous;

    public ProcStatSource(Path path, String host, Mode mode, DoubleSupplier hadoopCores, LongSupplier clock) {
        this.path = path;
        this.host = host;
        this.mode = mode;
        this.hadoopCores = hadoopCores;
        this.clock = clock;
    }

    /** Inside a VM: others are what the hypervisor stole. */
    public static ProcStatSource guest(Path path, String host) {
        return new ProcStatSource(path, host, Mode.GUEST, () -> 0, System::currentTimeMillis);
    }

    @Override
    public Optional<HostFigures> read() throws IOException {
        CpuCounters now = CpuCounters.read(path);
        double[] busyAndSteal = now.busyAndStealCoresSince(previous);
        previous = now;
        if (busyAndSteal == null) return Optional.empty(); // first reading, no time passed, a reboot or a CPU hot-plug
        double capacity = now.cpus();
        double others;
        if (mode == Mode.GUEST) {
            others = busyAndSteal[1];
        } else {
            double hadoop = hadoopCores.getAsDouble();
            if (!(hadoop >= 0) || Double.isInfinite(hadoop)) throw new IOException(describe() + ": Hadoop's own CPU is " + hadoop + " cores");
            others = Math.max(0, busyAndSteal[0] - hadoop);
        }
        return Optional.of(new HostFigures(host, clock.getAsLong(), capacity, others));
    }

    @Override
    public String describe() {
        return path + " of " + host + (mode == Mode.GUEST ? " (others = steal)" : " (others = busy - Hadoop)");
    }
}
