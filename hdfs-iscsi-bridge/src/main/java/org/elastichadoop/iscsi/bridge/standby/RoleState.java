package org.elastichadoop.iscsi.bridge.standby;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role.ACTIVE;
import static org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role.CLOSED;
import static org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role.OPENING;
import static org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role.STANDBY;
import static org.elastichadoop.iscsi.bridge.standby.VolumeLun.Role.SUSPENDED;

/**
 * A LUN's role, and the one way to change it: {@link #transition}, which accepts only a change listed
 * in {@link #ALLOWED} and makes it with {@code compareAndSet} from the role the caller saw, as Curator's
 * {@code LeaderLatch} changes its state.
 *
 * <p>A refused change returns false and is logged once; it never throws. The caller then skips the
 * change's side effects, and the LUN's worker thread, which runs every change, keeps running: an
 * exception there would leave the LUN in its old role with nobody to take it further. A change outside
 * the table is a bug in the role machine and is logged as a warning; a change from a role that is no
 * longer current (an event that came late) is logged at debug.
 */
final class RoleState {
    private static final Logger LOG = LogManager.getLogger(RoleState.class);

    /** For each role, the roles it may change to. */
    static final Map<Role, Set<Role>> ALLOWED = Map.of(
            STANDBY, Set.of(OPENING, CLOSED),
            OPENING, Set.of(ACTIVE, STANDBY, CLOSED),
            ACTIVE, Set.of(SUSPENDED, STANDBY, CLOSED),
            SUSPENDED, Set.of(ACTIVE, STANDBY, CLOSED),
            CLOSED, Set.of());

    private final String label;
    private final AtomicReference<Role> role;
    private volatile Instant since = Instant.now();

    RoleState(String label, Role initial) {
        this.label = label;
        this.role = new AtomicReference<>(initial);
    }

    static boolean allowed(Role from, Role to) {
        return ALLOWED.get(from).contains(to);
    }

    Role get() {
        return role.get();
    }

    /** When the role last changed (or this LUN started). */
    Instant since() {
        return since;
    }

    /** Changes the role from {@code from} to {@code to}; false, changing nothing, if refused. */
    boolean transition(Role from, Role to) {
        if (!allowed(from, to)) {
            LOG.warn("{}: refused to change role from {} to {}, a change the role machine does not allow; the role stays {}.",
                    label, from.label(), to.label(), role.get().label());
            return false;
        }
        if (!role.compareAndSet(from, to)) {
            LOG.debug("{}: refused to change role from {} to {}: the role is {} by now.", label, from.label(), to.label(),
                    role.get().label());
            return false;
        }
        since = Instant.now();
        return true;
    }
}
