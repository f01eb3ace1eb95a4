package org.elastichadoop.iscsi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code iscsi-bridge status}: targets, LUNs, sessions and initiators of a running bridge. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Lists the targets, LUNs, sessions and initiators of a running bridge.",
                "A log-volume LUN shows whether this bridge is its writer (active) or a standby."})
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--status", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:3270",
            description = "The bridge's status endpoint (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String body;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + address + "/status")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
            body = response.body();
        } catch (IOException e) {
            throw new UserException("no bridge answers on " + address + " (" + e.getClass().getSimpleName()
                    + "); is it running, and is its status endpoint at this address?");
        }
        if (json) {
            System.out.println(body);
            return 0;
        }
        JsonNode root = new ObjectMapper().readTree(body);
        System.out.println("portal " + root.path("portal").asText());
        for (JsonNode t : root.path("targets")) {
            System.out.printf("target %s  chap=%s  initiators=%s%n", t.path("iqn").asText(), t.path("chap").asText(),
                    t.path("allowedInitiators"));
            for (JsonNode l : t.path("luns")) {
                if (!l.has("role")) {
                    System.out.printf("  lun %d  %s%n", l.path("lun").asLong(), l.path("unit").asText());
                    continue;
                }
                String role = l.path("role").asText();
                String extra = switch (role) {
                    case "active" -> "writer epoch " + l.path("epoch").asText("?")
                            + (l.path("holdsWriterLatch").asBoolean() ? "" : ", took over without the writer latch");
                    case "standby" -> "writer: " + l.path("writer").asText("unknown");
                    case "suspended" -> "ZooKeeper unreachable: I/O paused until it confirms this bridge is still the writer";
                    case "opening" -> "recovering the volume to serve it";
                    default -> "";
                };
                System.out.printf("  lun %d  %-9s %s  (%s; since %s%s)%n", l.path("lun").asLong(), role, l.path("unit").asText(),
                        extra, l.path("roleSince").asText(), l.path("standbyConfigured").asBoolean() ? "; configured standby" : "");
            }
            if (t.path("sessions").isEmpty()) System.out.println("  no sessions");
            for (JsonNode s : t.path("sessions")) {
                System.out.printf("  session %d  %s  isid %s  from %s  since %s  commands %d  read %d B  written %d B%n",
                        s.path("tsih").asInt(), s.path("initiator").asText(), s.path("isid").asText(), s.path("from").asText(),
                        s.path("since").asText(), s.path("commands").asLong(), s.path("bytesRead").asLong(),
                        s.path("bytesWritten").asLong());
            }
        }
        System.out.println("discovery sessions: " + root.path("discoverySessions").size());
        return 0;
    }
}
