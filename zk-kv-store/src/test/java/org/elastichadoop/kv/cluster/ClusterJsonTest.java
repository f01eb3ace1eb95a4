package org.elastichadoop.kv.cluster;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** What the writer (Jackson's data binding) writes, the hand-written reader reads back; bad znodes read as null. */
public class ClusterJsonTest {

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        return ClusterJson.parse(ClusterJson.write(value), "/test", type);
    }

    private static <T> T read(String json, Class<T> type) {
        return ClusterJson.parse(json.getBytes(StandardCharsets.UTF_8), "/test", type);
    }

    @Test
    public void everyRecordReadsBackAsWritten() throws Exception {
        NodeInfo node = new NodeInfo("n1", "10.0.0.7", 22401, 9101, 5L << 40, 1_796_488_173_288L);
        assertEquals(node, roundTrip(node, NodeInfo.class));
        Ring stable = new Ring(3, List.of("n2", "n1", "n3"), null);
        assertEquals(stable, roundTrip(stable, Ring.class));
        Ring joint = stable.changing("n4", true);
        assertEquals(joint, roundTrip(joint, Ring.class));
        assertEquals(List.of("n2", "n1", "n3", "n4"), roundTrip(joint, Ring.class).next());
        assertEquals(new Settings(5, 3), roundTrip(new Settings(5, 3), Settings.class));
        assertEquals(new Progress(7, 6), roundTrip(new Progress(7, 6), Progress.class));
    }

    @Test
    public void unknownFieldsAreIgnoredAndMissingNumbersReadAsZero() {
        assertEquals(new NodeInfo("n1", "h", 1, 0, 0, 0),
                read("{\"id\":\"n1\",\"host\":\"h\",\"port\":1,\"zone\":\"b\",\"tags\":[\"x\"],\"extra\":{\"a\":[1,{}]}}", NodeInfo.class));
        assertEquals(new Ring(2, List.of("a"), null), read("{\"epoch\":2,\"current\":[\"a\"]}", Ring.class));
    }

    @Test
    public void invalidZnodesReadAsNull() {
        assertNull(ClusterJson.parse(null, "/test", Settings.class));
        assertNull(ClusterJson.parse(new byte[0], "/test", Settings.class));
        assertNull(read("not json", Settings.class));
        assertNull(read("[1,2]", Settings.class));
        assertNull(read("{\"replicationFactor\":3,\"syncCopies\":1}", Settings.class)); // W must be more than RF/2
        assertNull(read("{\"replicationFactor\":\"three\",\"syncCopies\":2}", Settings.class));
        assertNull(read("{\"id\":7,\"host\":\"h\",\"port\":1}", NodeInfo.class));
        assertNull(read("{\"epoch\":1,\"current\":[\"a\",2]}", Ring.class));
        assertNull(read("{\"epoch\":1.5,\"current\":[]}", Ring.class));
    }
}
