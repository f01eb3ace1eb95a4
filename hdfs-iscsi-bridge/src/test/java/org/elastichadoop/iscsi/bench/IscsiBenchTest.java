package org.elastichadoop.iscsi.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import picocli.CommandLine;

public class IscsiBenchTest {
    private static BenchConfig config(String... args) {
        IscsiBench bench = new IscsiBench();
        new CommandLine(bench).parseArgs(args);
        return bench.config(Map.of());
    }

    private static String error(String... args) {
        try {
            config(args);
            fail("accepted " + List.of(args));
            return null;
        } catch (BenchException e) {
            return e.getMessage();
        }
    }

    @Test
    public void theDefaultsAreTheScriptsAndTheLogCacheHoldsTheLun() {
        BenchConfig c = config();
        assertEquals(List.of("tgt", "ours", "log", "uncached", "hdfs"), c.targets());
        assertTrue(c.hadoopHome().endsWith("src-it/hadoop3-release/target/hadoop-3.5.0"));
        assertEquals(3265, c.hdfsPort());
        assertEquals("iqn.2024-01.test:bench-hdfs", c.iqns().hdfs());
        assertEquals(1L << 30, c.sizeBytes());
        assertEquals("1088M", c.logCache());
        assertEquals(64, c.cacheMb());
        assertEquals(3261, c.tgtControl());
        assertEquals(16000, c.seqCount());
        assertTrue(c.bridgeCmd().get(0).endsWith("/bin/iscsi-bridge"));
        assertEquals(Map.of(), c.bridgeEnv());
        assertEquals("iqn.2024-01.test:bench-tgt", c.iqns().tgt());
        assertEquals(1, c.iqns().tgtLun());
    }

    @Test
    public void optionsAsDocumented() {
        BenchConfig c = config("--only", "log,tgt", "--size", "256M", "--log-cache", "64M", "--cache-mb", "300", "--tgt-control", "3299",
                "--java-opts", "-Xmx2g", "--bridge-cmd", "/x/tgt-wrapper --flag", "--runs", "3", "--keep-data", "--hadoop-home", "/opt/hadoop",
                "--hdfs-port", "3300");
        assertEquals("in the order of the table", List.of("tgt", "log"), c.targets());
        assertEquals(256L << 20, c.sizeBytes());
        assertEquals("64M", c.logCache());
        assertEquals(300, c.cacheMb());
        assertEquals(3299, c.tgtControl());
        assertEquals(Map.of("BRIDGE_JAVA_OPTS", "-Xmx2g"), c.bridgeEnv());
        assertEquals(List.of("/x/tgt-wrapper", "--flag"), c.bridgeCmd());
        assertTrue(c.keepData());
        assertEquals(java.nio.file.Path.of("/opt/hadoop"), c.hadoopHome());
        assertEquals(3300, c.hdfsPort());
    }

    @Test
    public void mistakesAreNamed() {
        assertEquals("--size must be a multiple of 1 MiB, not '1000K' (1024000 bytes)", error("--size", "1000K"));
        assertEquals("cannot read --size 'big' (a size like 1G, 512M or 1073741824)", error("--size", "big"));
        assertEquals("--only takes tgt, ours, log, uncached, hdfs, not 'iet'", error("--only", "tgt,iet"));
        assertEquals("--tgt-port, --ours-port, --log-port, --uncached-port and --hdfs-port must differ", error("--ours-port", "3261"));
        assertEquals("--tgt-port, --ours-port, --log-port, --uncached-port and --hdfs-port must differ", error("--hdfs-port", "3263"));
        assertEquals("--runs must be a positive integer, not '0'", error("--runs", "0"));
    }

    @Test
    public void sizesReadLikeNumfmt() {
        assertEquals(1L << 30, Sizes.bytes("1G", "x"));
        assertEquals(1L << 30, Sizes.bytes("1GiB", "x"));
        assertEquals(1536L << 20, Sizes.bytes("1.5G", "x"));
        assertEquals(512L << 20, Sizes.bytes("512m", "x"));
        assertEquals(4096, Sizes.bytes("4096", "x"));
    }

    @Test
    public void commandsAreRecordedAsAShellReadsThem() {
        assertEquals("env BRIDGE_JAVA_OPTS= qemu-img bench --pattern=0xa5 'a b' 'it'\\''s'",
                CommandLog.quoted(List.of("env", "BRIDGE_JAVA_OPTS=", "qemu-img", "bench", "--pattern=0xa5", "a b", "it's")));
    }
}
