package org.elastichadoop.iscsi.session;

import org.elastichadoop.iscsi.scsi.Nexus;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * A logged-in session: one initiator port and, for a normal session, one target. This target runs
 * one connection per session (MaxConnections=1) at ErrorRecoveryLevel 0.
 */
public final class Session {
    private final int tsih;
    private final Nexus nexus;
    private final SessionParameters parameters;
    private final ExportedTarget target;
    private final SocketAddress remote;
    private final Instant loggedIn = Instant.now();
    private final Runnable closer;

    public final LongAdder commands = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();

    public Session(int tsih, Nexus nexus, SessionParameters parameters, ExportedTarget target,
                   SocketAddress remote, Runnable closer) {
        this.tsih = tsih;
        this.nexus = nexus;
        this.parameters = parameters;
        this.target = target;
        this.remote = remote;
        this.closer = closer;
    }

    public int tsih() { return tsih; }
    public Nexus nexus() { return nexus; }
    public SessionParameters parameters() { return parameters; }
    /** Null for a discovery session. */
    public ExportedTarget target() { return target; }
    public SocketAddress remote() { return remote; }
    public Instant loggedIn() { return loggedIn; }
    public boolean discovery() { return parameters.discovery(); }

    /** Closes the session's connection (reinstatement, shutdown, target reset). */
    public void close() {
        closer.run();
    }
}
