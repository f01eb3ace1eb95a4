package org.elastichadoop.slots.source;

import org.elastichadoop.slots.policy.HostFigures;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the controller gets one host's CPU figures. Each call reads the counters once and reports
 * the interval since the previous call; the first call (or one after the counters went backwards, a
 * reboot) has no interval yet and returns empty.
 */
public interface HostCpuSource {

    Optional<HostFigures> read() throws IOException;

    /** For logs and slotctl, e.g. "/proc/stat of tt1 (steal)". */
    String describe();
}
