package org.elastichadoop.iscsi.session;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Every live session, by TSIH. Registering a session whose initiator port already has one with the
 * same target reinstates it: the old session is closed first (RFC 7143 section 6.3.5).
 */
public final class SessionRegistry {
    private static final Logger LOG = LogManager.getLogger(SessionRegistry.class);

    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
    private int nextTsih = 1;

    /** Allocates a TSIH and registers the session {@code factory} builds for it. */
    public synchronized Session register(IntFunction<Session> factory) {
        int tsih = allocate();
        Session session = factory.apply(tsih);
        for (Session old : sessions.values()) {
            if (old.nexus().equals(session.nexus()) && old.discovery() == session.discovery()) {
                LOG.info("Session reinstatement: {} logged in again with ISID {}; closing its old session (TSIH {})",
                        session.nexus().initiatorName(), session.nexus().isid(), old.tsih());
                sessions.remove(old.tsih());
                old.close();
            }
        }
        sessions.put(tsih, session);
        return session;
    }

    private int allocate() {
        for (int i = 0; i < 65535; i++) {
            int candidate = nextTsih;
            nextTsih = nextTsih == 65535 ? 1 : nextTsih + 1;
            if (!sessions.containsKey(candidate)) return candidate;
        }
        throw new IllegalStateException("all 65535 session handles are in use");
    }

    public void remove(Session session) {
        sessions.remove(session.tsih(), session);
    }

    public Session get(int tsih) {
        return sessions.get(tsih);
    }

    public List<Session> all() {
        return new ArrayList<>(sessions.values());
    }

    public void closeAll() {
        all().forEach(Session::close);
    }
}
