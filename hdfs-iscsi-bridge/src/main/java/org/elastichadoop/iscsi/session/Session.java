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
    /** How long a shutdown waits for initiators to log out; sent to them in the logout request. */
    public static final int LOGOUT_GRACE_SECONDS = 3;
    private final int tsih;
    private final Nexus nexus;
    private final SessionParameters parameters;
    private final ExportedTarget target;
    private final SocketAddress remote;
    private final Instant loggedIn = Instant.now();
    private final Runnable closer;
    private final Runnable logoutRequester;

    public final LongAdder commands = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();

    public Session(int tsih, Nexus nexus, SessionParameters parameters, ExportedTarget target,
                   SocketAddress remote, Runnable closer, Runnable logoutRequester) {
        this.tsih = tsih;
        this.nexus = nexus;
        this.parameters = parameters;
        this.target = target;
        this.remote = remote;
        this.closer = closer;
        this.logoutRequester = logoutRequester;
    }

    public int tsih() { return tsih; }
    public Nexus nexus() { return nexus; }
    public SessionParameters parameters() { return parameters; }
    /** Null for a discovery session. */
    public ExportedTarget target() { return target; }
    public SocketAddress remote() { return remote; }
    public Instant loggedIn() { return loggedIn; }
    public boolean discovery() { return parameters.discovery(); }

    /** Asks the initiator to log out (an Asynchronous Message), as before a shutdown. */
    public void requestLogout() {
        logoutRequester.run();
    }

    /** Closes the session's connection (reinstatement, shutdown, target reset). */
    public void close() {
        closer.run();
    }
}
