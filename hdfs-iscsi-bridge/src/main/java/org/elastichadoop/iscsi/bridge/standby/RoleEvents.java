package org.elastichadoop.iscsi.bridge.standby;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

import java.util.function.BooleanSupplier;

/**
 * Turns what Curator reports, connection states and the writer latch's callbacks, into events of a
 * LUN's {@link LunRoles}. Register it, and its latch listeners, with the LUN's worker thread as
 * executor: the machine takes one event at a time on that thread.
 */
final class RoleEvents implements ConnectionStateListener {
    private final LunRoles roles;
    private final BooleanSupplier connected;

    /** @param connected whether the ZooKeeper client is connected at this moment */
    RoleEvents(LunRoles roles, BooleanSupplier connected) {
        this.roles = roles;
        this.connected = connected;
    }

    @Override
    public void stateChanged(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED -> roles.connectionSuspended();
            case LOST -> roles.connectionLost();
            case RECONNECTED -> roles.reconnected();
            default -> {
            }
        }
    }

    /**
     * Events of one writer latch, passed on while {@code current} says it is still the LUN's latch:
     * a latch left behind when the LUN rejoined the election may still call back.
     */
    LeaderLatchListener latchListener(BooleanSupplier current) {
        return new LeaderLatchListener() {
            @Override
            public void isLeader() {
                if (current.getAsBoolean()) roles.leaderGained();
            }

            @Override
            public void notLeader() {
                if (current.getAsBoolean()) roles.leaderLost(connected.getAsBoolean());
            }
        };
    }
}
