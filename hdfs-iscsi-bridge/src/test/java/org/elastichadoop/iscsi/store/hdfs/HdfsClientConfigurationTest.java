package org.elastichadoop.iscsi.store.hdfs;

import org.apache.hadoop.conf.Configuration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.nio.file.Files;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** The HDFS client configuration the bridge builds: HADOOP_CONF_DIR's files, and its own defaults only where they are silent. */
public class HdfsClientConfigurationTest {
    private static final String BEST_EFFORT = "dfs.client.block.write.replace-datanode-on-failure.best-effort";
    private static final String PACKET_SIZE = "dfs.client-write-packet-size";
    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();

    @Test
    public void withoutASiteTheBridgeCarriesOnPastALostDataNodeWritesInPacketsOfOneMebibyteAndRetriesNameNodesEveryTwoSeconds() {
        Configuration conf = HdfsStore.configuration(null);
        assertTrue(conf.getBoolean(BEST_EFFORT, false));
        assertEquals(1 << 20, conf.getInt(PACKET_SIZE, 0));
        assertEquals(2000, conf.getInt("dfs.client.failover.sleep.max.millis", 0));
    }

    @Test
    public void theSiteFilesOfHadoopConfDirAreReadAndWhatTheySetIsKept() throws Exception {
        File confDir = dir.newFolder("conf");
        Files.writeString(new File(confDir, "core-site.xml").toPath(), site("fs.defaultFS", "hdfs://volumes-ns"));
        Files.writeString(new File(confDir, "hdfs-site.xml").toPath(),
                site(BEST_EFFORT, "false").replace("</configuration>", property(PACKET_SIZE, "65536") + "</configuration>"));
        Configuration conf = HdfsStore.configuration(confDir.getPath());
        assertEquals("hdfs://volumes-ns", conf.get("fs.defaultFS"));
        assertFalse("the site's choice stands", conf.getBoolean(BEST_EFFORT, true));
        assertEquals(65536, conf.getInt(PACKET_SIZE, 0));
    }

    private static String site(String key, String value) {
        return "<?xml version=\"1.0\"?>\n<configuration>\n" + property(key, value) + "</configuration>\n";
    }

    private static String property(String key, String value) {
        return "  <property><name>" + key + "</name><value>" + value + "</value></property>\n";
    }
}
