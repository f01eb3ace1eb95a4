package org.elastichadoop.slots.packaging;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.Test;

import java.io.DataInputStream;
import java.io.File;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The jar for $HADOOP_HOME/lib (target/hadoop-slot-scheduler-hadoop1.jar): Java 8 bytecode only, no
 * class outside our packages, and working on its own next to Hadoop 1.2.1's jars with no Curator,
 * ZooKeeper, Jackson or Guava of their own: loaded that way, it follows an allocation in a real ZooKeeper.
 */
public class ShadedJarIT {
    private static final File JAR = new File("target/hadoop-slot-scheduler-hadoop1.jar");

    @Test
    public void java8BytecodeAndOnlyOurPackages() throws Exception {
        assertTrue(JAR + " is built by mvn package", JAR.isFile());
        int classes = 0;
        try (JarFile jar = new JarFile(JAR)) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || name.startsWith("META-INF/")) continue;
                assertTrue("outside our packages: " + name, name.startsWith("org/elastichadoop/")
                        || name.startsWith("org/apache/hadoop/mapred/Elastic"));
                assertTrue("the controller is not for Hadoop's lib dir: " + name, !name.startsWith("org/elastichadoop/slots/cli/")
                        && !name.startsWith("org/elastichadoop/slots/controller/") && !name.startsWith("org/elastichadoop/slots/bench/")
                        && !name.startsWith("org/apache/hadoop/mapred/BenchTrackers"));
                if (!name.endsWith(".class")) continue;
                classes++;
                try (InputStream in = jar.getInputStream(entry); DataInputStream d = new DataInputStream(in)) {
                    assertEquals(name + " magic", 0xCAFEBABE, d.readInt());
                    d.readUnsignedShort();
                    int major = d.readUnsignedShort();
                    assertTrue(name + " is class file version " + major + ", above Java 8's 52", major <= 52);
                }
            }
        }
        assertTrue("classes in the jar: " + classes, classes > 1000);
    }

    /** The JDK's platform modules without the test's classpath (the tests compile for Java 8, which lacks the method). */
    private static ClassLoader platformLoader() throws ReflectiveOperationException {
        return (ClassLoader) ClassLoader.class.getMethod("getPlatformClassLoader").invoke(null);
    }

    @Test
    public void itWorksBesideHadoopsJarsAlone() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(JAR.toURI().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String n = new File(entry).getName();
            boolean ours = entry.contains("hadoop-slot-scheduler" + File.separator + "target");
            boolean shadedAway = n.startsWith("curator-") || n.startsWith("zookeeper") || n.startsWith("jackson-")
                    || n.startsWith("guava-") || n.startsWith("slf4j-") || n.startsWith("log4j-slf4j");
            if (!ours && !shadedAway) urls.add(new File(entry).toURI().toURL()); // Hadoop and its libraries, JUnit...
        }
        try (TestingServer zk = new TestingServer(true);
             CuratorFramework admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
             URLClassLoader hadoop = new URLClassLoader(urls.toArray(new URL[0]), platformLoader())) {
            admin.start();
            // only the shaded jar can provide these, and the JobTracker's scheduler class must link against hadoop-core
            Class.forName("org.apache.hadoop.mapred.ElasticTaskScheduler", true, hadoop);
            Class.forName("org.apache.hadoop.mapred.ElasticSlotsInstrumentation", false, hadoop);
            try {
                Class.forName("org.apache.curator.framework.CuratorFramework", false, hadoop);
                fail("Curator leaked in unrelocated");
            } catch (ClassNotFoundException expected) {
                // relocated
            }
            Class<?> confClass = Class.forName("org.apache.hadoop.conf.Configuration", true, hadoop);
            Object conf = confClass.getConstructor(boolean.class).newInstance(false);
            confClass.getMethod("set", String.class, String.class).invoke(conf, "elastic.slots.zk", zk.getConnectString());
            Object settings = Class.forName("org.elastichadoop.slots.scheduler.SchedulerSettings", true, hadoop)
                    .getMethod("from", confClass).invoke(null, conf);
            Class<?> followerClass = Class.forName("org.elastichadoop.slots.scheduler.AllocationFollower", true, hadoop);
            Constructor<?> make = followerClass.getConstructor(settings.getClass(), LongSupplier.class);
            Object follower = make.newInstance(settings, (LongSupplier) System::currentTimeMillis);
            followerClass.getMethod("start").invoke(follower);
            Method caps = followerClass.getMethod("capsFor", String.class, int.class, int.class);
            new AllocationStore(admin, SlotPaths.defaults()).write(new Allocation("tt1", 1, 0, 1, System.currentTimeMillis(), "test"));
            long deadline = System.currentTimeMillis() + 10_000;
            String got = "";
            while (System.currentTimeMillis() < deadline) {
                got = caps.invoke(follower, "tt1", 4, 2).toString();
                if (got.startsWith("1 maps, 0 reduces")) break;
                Thread.sleep(50);
            }
            assertTrue("the shaded follower saw the allocation: " + got, got.startsWith("1 maps, 0 reduces (allocation v1)"));
            followerClass.getMethod("close").invoke(follower);
        }
    }
}
