package org.elastichadoop.iscsi.cli;

import org.apache.curator.test.TestingServer;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** {@code iscsi-bridge volume create --store}, {@code list} and {@code delete} with a volume kept in a file system directory. */
public class VolumeStoreCommandIT {
    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();
    private TestingServer zk;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Before
    public void start() throws Exception {
        zk = new TestingServer();
    }

    @After
    public void stop() throws Exception {
        zk.close();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Cli.run(new IscsiBridgeCommand(), args);
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    public void aVolumeNamesItsStoreInTheListingAndDeletingItRemovesItsDirectory() throws Exception {
        String store = dir.getRoot().toURI().toString() + "volumes";
        assertEquals(err.toString(), 0, run("volume", "create", "onfs", "--size", "64M", "--store", store, "--zk", zk.getConnectString()));
        assertTrue(out.toString(), out.toString().contains("on " + store));
        assertEquals(0, run("volume", "create", "onkv", "--size", "64M", "--zk", zk.getConnectString()));
        assertEquals(0, run("volume", "list", "--zk", zk.getConnectString()));
        String listing = out.toString();
        assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("onfs ") && l.endsWith(store)));
        assertTrue(listing, listing.lines().anyMatch(l -> l.startsWith("onkv ") && l.endsWith("zk-kv-store")));
        assertTrue("create checked the directory by making it", new File(dir.getRoot(), "volumes").isDirectory());

        assertEquals(err.toString(), 0, run("volume", "delete", "onfs", "--zk", zk.getConnectString()));
        File[] left = new File(dir.getRoot(), "volumes").listFiles();
        assertEquals("the volume's directory is gone", 0, left == null ? 0 : left.length);
        assertEquals(0, run("volume", "list", "--zk", zk.getConnectString()));
        assertFalse(out.toString().contains("onfs"));
    }

    @Test
    public void aStoreThatIsNotAUriWithADirectoryIsRefusedNamingTheOptionAndNothingIsRecorded() {
        assertEquals(1, run("volume", "create", "bad", "--size", "64M", "--store", "namenode:8020", "--zk", zk.getConnectString()));
        assertTrue(err.toString(), err.toString().contains("--store namenode:8020") && err.toString().contains("hdfs://"));
        assertEquals(0, run("volume", "list", "--zk", zk.getConnectString()));
        assertFalse(out.toString().contains("bad"));
    }
}
