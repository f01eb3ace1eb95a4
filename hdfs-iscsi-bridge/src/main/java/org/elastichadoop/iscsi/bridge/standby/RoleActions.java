package org.elastichadoop.iscsi.bridge.standby;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * What {@link LunRoles} asks of the LUN when its role changes: to the volume, to the writer election,
 * and to the LUN's worker thread, on which every call is made.
 */
interface RoleActions {

    /**
     * Opens the volume as its writer, taking a new epoch (which fences any earlier writer) and replaying
     * its log, while the LUN answers NOT READY, in transition. Returns the epoch; the LUN serves nothing
     * yet.
     */
    long open() throws IOException;

    /** Serves the opened volume. */
    void serve();

    /** Stops I/O but keeps the volume open (NOT READY, in transition), until {@link #serve} or {@link #standBy}. */
    void pause();

    /** Stops serving (NOT READY, standby) and closes the volume if it is open. */
    void standBy();

    /** Stops serving for good (NOT READY, unavailable), closes the volume if it is open, and leaves the election. */
    void shutDown();

    /** Leaves the writer election and joins it again, at the back of the line. */
    void rejoinElection();

    /** How many other bridges are in the writer election, as last seen. */
    int otherParticipants();

    /** The volume's writer may have changed: refresh what status shows, without blocking. */
    void writerMayHaveChanged();

    /** Runs {@code task} on the worker thread after {@code delay}, unless cancelled. */
    Future<?> schedule(Runnable task, Duration delay);
}
