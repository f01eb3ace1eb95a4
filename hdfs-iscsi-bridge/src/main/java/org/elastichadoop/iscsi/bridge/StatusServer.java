package org.elastichadoop.iscsi.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.bridge.standby.VolumeLun;
import org.elastichadoop.iscsi.scsi.BlockDevice;
import org.elastichadoop.iscsi.session.ExportedTarget;
import org.elastichadoop.iscsi.session.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * HTTP status endpoint: {@code /status} (JSON: targets, LUNs, sessions and their initiators) for
 * {@code iscsi-bridge status}, and {@code /metrics} in the Prometheus text format.
 */
final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final IscsiBridge bridge;

    StatusServer(InetSocketAddress address, IscsiBridge bridge) throws IOException {
        this.bridge = bridge;
        server = HttpServer.create(address, 16);
        server.createContext("/status", this::status);
        server.createContext("/metrics", this::metrics);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "status-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("Status on http://{}:{}/status and /metrics", address.getHostString(), server.getAddress().getPort());
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("portal", bridge.portalAddress().getHostString() + ":" + bridge.portalAddress().getPort());
        List<Session> sessions = bridge.sessions();
        List<Object> targets = new ArrayList<>();
        for (ExportedTarget t : bridge.targets()) {
            Map<String, Object> target = new LinkedHashMap<>();
            target.put("iqn", t.name());
            target.put("alias", t.alias());
            target.put("chap", t.access().requiresChap() ? (t.access().mutualChap() != null ? "mutual" : "one-way") : "none");
            target.put("allowedInitiators", t.access().allowedInitiators().isEmpty() ? List.of("any") : t.access().allowedInitiators());
            List<Object> luns = new ArrayList<>();
            for (long lun : t.scsi().luns()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("lun", lun);
                VolumeLun v = bridge.volumeLun(t.name(), lun);
                if (v != null) {
                    VolumeLun.Status st = v.status();
                    l.put("unit", st.detail());
                    l.put("volume", st.volume());
                    l.put("role", st.role().label());
                    l.put("standbyConfigured", st.standbyConfigured());
                    l.put("holdsWriterLatch", st.holdsLatch());
                    l.put("writer", st.writer());
                    if (st.epoch() >= 0) l.put("epoch", st.epoch());
                    l.put("roleSince", st.since().toString());
                } else {
                    l.put("unit", t.scsi().unit(lun) instanceof BlockDevice d ? d.volume().describe() + ", "
                            + d.volume().blockCount() + " blocks of " + d.volume().blockSize() : String.valueOf(t.scsi().unit(lun)));
                }
                luns.add(l);
            }
            target.put("luns", luns);
            List<Object> list = new ArrayList<>();
            for (Session s : sessions) if (s.target() == t) list.add(describe(s));
            target.put("sessions", list);
            targets.add(target);
        }
        out.put("targets", targets);
        out.put("discoverySessions", sessions.stream().filter(Session::discovery).map(this::describe).toList());
        return out;
    }

    private Map<String, Object> describe(Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tsih", s.tsih());
        m.put("initiator", s.nexus().initiatorName());
        m.put("alias", s.parameters().initiatorAlias());
        m.put("isid", s.nexus().isid());
        m.put("from", String.valueOf(s.remote()));
        m.put("since", s.loggedIn().toString());
        m.put("commands", s.commands.sum());
        m.put("bytesRead", s.bytesRead.sum());
        m.put("bytesWritten", s.bytesWritten.sum());
        m.put("digests", (s.parameters().headerDigest() ? "header " : "") + (s.parameters().dataDigest() ? "data" : ""));
        return m;
    }

    private void status(HttpExchange exchange) throws IOException {
        send(exchange, "application/json", JSON.writeValueAsBytes(snapshot()));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder s = new StringBuilder();
        List<Session> sessions = bridge.sessions();
        s.append("# HELP iscsi_sessions Logged-in sessions.\n# TYPE iscsi_sessions gauge\n");
        s.append("iscsi_sessions ").append(sessions.size()).append('\n');
        s.append("# HELP iscsi_session_commands_total SCSI commands received per session.\n# TYPE iscsi_session_commands_total counter\n");
        for (Session x : sessions) {
            if (x.discovery()) continue;
            String labels = "{target=\"" + x.target().name() + "\",initiator=\"" + x.nexus().initiatorName() + "\",tsih=\"" + x.tsih() + "\"}";
            s.append("iscsi_session_commands_total").append(labels).append(' ').append(x.commands.sum()).append('\n');
            s.append("iscsi_session_read_bytes_total").append(labels).append(' ').append(x.bytesRead.sum()).append('\n');
            s.append("iscsi_session_written_bytes_total").append(labels).append(' ').append(x.bytesWritten.sum()).append('\n');
        }
        s.append("# HELP iscsi_log_volume_active 1 if this bridge writes and serves the log volume LUN, 0 if it is standby.\n")
                .append("# TYPE iscsi_log_volume_active gauge\n");
        for (VolumeLun v : bridge.volumeLuns()) {
            s.append("iscsi_log_volume_active{target=\"").append(v.settings().target()).append("\",lun=\"").append(v.settings().lun())
                    .append("\",volume=\"").append(v.settings().volume()).append("\"} ")
                    .append(v.role() == VolumeLun.Role.ACTIVE ? 1 : 0).append('\n');
        }
        send(exchange, "text/plain; version=0.0.4", s.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
