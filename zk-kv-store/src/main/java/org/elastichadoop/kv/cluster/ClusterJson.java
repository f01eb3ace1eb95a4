package org.elastichadoop.kv.cluster;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The JSON of the cluster's znodes (members, live nodes, ring, settings, progress). Written with Jackson's data
 * binding; read with its streaming parser into the records by hand, because building an ObjectMapper costs a
 * short-lived command (kvctl) about 80 ms, a sixth of its whole budget, against 10 ms for the parser. Unknown
 * fields are ignored, as the records' {@code @JsonIgnoreProperties} says; ClusterJsonTest checks that what the
 * writer writes, the reader reads back.
 */
final class ClusterJson {
    private static final Logger LOG = LogManager.getLogger(ClusterJson.class);
    private static final JsonFactory FACTORY = new JsonFactory();

    private ClusterJson() {
    }

    static byte[] write(Object value) throws IOException {
        return Writer.JSON.writeValueAsBytes(value);
    }

    /** The znode's value, or null when it is empty or not valid (logged, naming the znode). */
    static <T> T parse(byte[] json, String path, Class<T> type) {
        if (json == null || json.length == 0) {
            return null;
        }
        try {
            return type.cast(toRecord(fields(json), type));
        } catch (IOException | RuntimeException e) {
            LOG.error("Ignoring znode {}: not valid JSON for {} ({})", path, type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    private static Object toRecord(Map<String, Object> f, Class<?> type) {
        if (type == NodeInfo.class) {
            return new NodeInfo(text(f, "id"), text(f, "host"), (int) number(f, "port"), (int) number(f, "metricsPort"),
                    number(f, "capacityBytes"), number(f, "startedAt"));
        }
        if (type == Ring.class) {
            return new Ring(number(f, "epoch"), names(f, "current"), f.get("next") == null ? null : names(f, "next"));
        }
        if (type == Settings.class) {
            return new Settings((int) number(f, "replicationFactor"), (int) number(f, "syncCopies"));
        }
        if (type == Progress.class) {
            return new Progress(number(f, "epoch"), number(f, "handedOver"));
        }
        throw new IllegalArgumentException("no reader for " + type.getName());
    }

    /** One JSON object's fields: strings, whole numbers, booleans, null, and arrays of those; nested objects skipped. */
    private static Map<String, Object> fields(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            Map<String, Object> out = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    List<Object> items = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add(scalar(p));
                    }
                    out.put(name, items);
                } else if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else {
                    out.put(name, scalar(p));
                }
            }
            return out;
        }
    }

    private static Object scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + p.currentToken() + " at field " + p.currentName());
        };
    }

    private static String text(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("field '" + name + "' is " + (v == null ? "missing" : "not a string"));
    }

    /** A missing number reads as 0, as Jackson binds a missing primitive. */
    private static long number(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("field '" + name + "' is not a whole number");
    }

    private static List<String> names(Map<String, Object> f, String name) {
        Object v = f.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> items)) {
            throw new IllegalArgumentException("field '" + name + "' is not a list");
        }
        List<String> out = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException("field '" + name + "' holds a value that is not a string");
            }
            out.add(s);
        }
        return out;
    }

    /** Built on first write only: a process that only reads never pays for the mapper. */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }
}
