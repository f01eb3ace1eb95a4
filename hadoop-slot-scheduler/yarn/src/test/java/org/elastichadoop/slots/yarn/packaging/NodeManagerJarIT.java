package org.elastichadoop.slots.yarn.packaging;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.elastichadoop.slots.allocation.TrackerReport;
import org.elastichadoop.slots.packaging.JarChecks;
import org.elastichadoop.slots.zk.AllocationStore;
import org.elastichadoop.slots.zk.SlotPaths;
import org.junit.Test;

/**
 * The jar for the NodeManagers' share/hadoop/yarn/lib (target/hadoop-slot-scheduler-yarn-nodemanager.jar): Java 8
 * bytecode, nothing outside our packages, and working beside nothing but Hadoop 3's client jars and SLF4J: loaded
 * that way, its service reports the node to a real ZooKeeper and its report goes when it stops.
 */
public class NodeManagerJarIT {
    private static final File JAR = new File("target/hadoop-slot-scheduler-yarn-nodemanager.jar");

    @Test
    public void java8BytecodeAndOnlyOurPackages() throws Exception {
        List<String> classes = JarChecks.java8ClassesOnly(JAR, name -> name.startsWith("org/elastichadoop/")
                        && !name.startsWith("org/elastichadoop/slots/yarn/applier/") && !name.startsWith("org/elastichadoop/slots/cli/")
                        && !name.startsWith("org/elastichadoop/slots/controller/") && !name.startsWith("org/elastichadoop/slots/demo/"),
                "outside our packages, or not for the NodeManager");
        assertTrue("the auxiliary service is in it", classes.contains("org/elastichadoop/slots/yarn/nodemanager/ElasticSlotsAuxService.class"));
        assertTrue("its libraries are in it: " + classes.size() + " classes", classes.size() > 1000);
    }

    @Test
    public void besideOnlyHadoopsClientJarsItReportsTheNode() throws Exception {
        List<URL> path = new ArrayList<>();
        path.add(JAR.toURI().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("hadoop-client-api-") || name.startsWith("hadoop-client-runtime-") || name.startsWith("slf4j-api-")) {
                path.add(new File(entry).toURI().toURL());
            }
        }
        assertEquals("the jar, hadoop-client-api, hadoop-client-runtime and slf4j-api: " + path, 4, path.size());
        try (TestingServer zk = new TestingServer(true);
             URLClassLoader nodeManager = new URLClassLoader(path.toArray(new URL[0]), ClassLoader.getSystemClassLoader().getParent())) {
            Class<?> confClass = nodeManager.loadClass("org.apache.hadoop.conf.Configuration");
            Object conf = confClass.getConstructor(boolean.class).newInstance(false);
            confClass.getMethod("set", String.class, String.class).invoke(conf, "elastic.slots.zk", zk.getConnectString());
            confClass.getMethod("set", String.class, String.class).invoke(conf, "elastic.slots.report.name", "isolated-nm");
            confClass.getMethod("set", String.class, String.class).invoke(conf, "elastic.slots.report.seconds", "1");
            Class<?> serviceClass = nodeManager.loadClass("org.elastichadoop.slots.yarn.nodemanager.ElasticSlotsAuxService");
            Object service = serviceClass.getConstructor().newInstance();
            serviceClass.getMethod("init", confClass).invoke(service, conf);
            serviceClass.getMethod("start").invoke(service);
            assertFalse("running", (Boolean) serviceClass.getMethod("isIdle").invoke(service));

            CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new ExponentialBackoffRetry(100, 3));
            client.start();
            try {
                AllocationStore store = new AllocationStore(client, SlotPaths.defaults());
                Optional<TrackerReport> r = Optional.empty();
                for (int i = 0; i < 100 && !r.isPresent(); i++) {
                    Thread.sleep(100);
                    r = store.readReport("isolated-nm");
                }
                assertTrue("a report within 10 s", r.isPresent());
                assertEquals(Integer.valueOf(0), r.get().containers());
                assertTrue(r.get().capacityCores() >= 1);
                serviceClass.getMethod("stop").invoke(service);
                for (int i = 0; i < 100 && r.isPresent(); i++) {
                    Thread.sleep(100);
                    r = store.readReport("isolated-nm");
                }
                assertFalse("the report goes with the service", r.isPresent());
            } finally {
                client.close();
            }
        }
    }
}
