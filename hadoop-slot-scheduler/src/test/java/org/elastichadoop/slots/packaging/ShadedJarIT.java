package org.elastichadoop.slots.packaging;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.elastichadoop.slots.allocation.Allocation;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.Test;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The jar for $HADOOP_HOME/lib (target/hadoop-slot-scheduler-hadoop1.jar): Java 8 bytecode only, no
 * class outside our packages, and working with nothing but Hadoop 1.2.1's own class path (hadoop-core and
 * its lib dir, as the release lays them out): loaded that way, it follows an allocation in a real
 * ZooKeeper and logs into Hadoop's log4j. HadoopDaemonsIT (src-it) runs it in the real daemons.
 */
public class ShadedJarIT {
    private static final File JAR = new File("target/hadoop-slot-scheduler-hadoop1.jar");

    @Test
    public void java8BytecodeAndOnlyOurPackages() throws Exception {
        List<String> classes = JarChecks.java8ClassesOnly(JAR, name -> (name.startsWith("org/elastichadoop/")
                        || name.startsWith("org/apache/hadoop/mapred/Elastic")) && !name.startsWith("org/elastichadoop/slots/cli/")
                        && !name.startsWith("org/elastichadoop/slots/controller/") && !name.startsWith("org/elastichadoop/slots/bench/")
                        && !name.startsWith("org/apache/hadoop/mapred/BenchTrackers"),
                "outside our packages, or the controller's (not for Hadoop's lib dir)");
        assertTrue("classes in the jar: " + classes.size(), classes.size() > 1000);
    }

    /** The JDK's platform modules without the test's classpath (the tests compile for Java 8, which lacks the method). */
    private static ClassLoader platformLoader() throws ReflectiveOperationException {
        return (ClassLoader) ClassLoader.class.getMethod("getPlatformClassLoader").invoke(null);
    }

    /** Hadoop 1.2.1 laid out as its tarball (module hadoop1-release). */
    private static final File HADOOP_HOME = new File(System.getProperty("hadoop1.home", "../src-it/hadoop1-release/target/hadoop-1.2.1"));

    /** What bin/hadoop puts on a daemon's class path, and our jar: nothing of Maven's or the test's. */
    private static List<URL> hadoopLibDirAndTheJar() throws Exception {
        assertTrue(HADOOP_HOME + " is built by the hadoop1-release module", new File(HADOOP_HOME, "hadoop-core-1.2.1.jar").isFile());
        List<URL> urls = new ArrayList<>();
        urls.add(new File(HADOOP_HOME, "hadoop-core-1.2.1.jar").toURI().toURL());
        for (String dir : new String[] {"lib", "lib/jsp-2.1"}) {
            File[] jars = new File(HADOOP_HOME, dir).listFiles((d, n) -> n.endsWith(".jar"));
            assertTrue(dir + " has jars", jars != null && jars.length > 0);
            for (File f : jars) {
                assertTrue("the release has no " + f.getName(), !f.getName().startsWith("hadoop-slot-scheduler"));
                urls.add(f.toURI().toURL());
            }
        }
        urls.add(JAR.toURI().toURL());
        return urls;
    }

    @Test
    public void itWorksWithHadoopsLibDirAlone() throws Exception {
        List<URL> urls = hadoopLibDirAndTheJar();
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
            // ZooKeeper's and Curator's logging reaches the daemon's own log4j 1.2 (Hadoop's lib dir has it)
            Object loggers = Class.forName("org.elastichadoop.slots.shaded.slf4j.LoggerFactory", true, hadoop)
                    .getMethod("getILoggerFactory").invoke(null);
            assertEquals("org.elastichadoop.slots.shaded.slf4j.reload4j.Reload4jLoggerFactory", loggers.getClass().getName());
        }
    }
}
