package org.elastichadoop.slots.yarn.nodemanager;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hadoop.conf.Configuration;

/** The auxiliary service's keys (yarn-site.xml of the NodeManager), with their defaults. */
final class NodeManagerSettings {
    static final String ZK = "elastic.slots.zk";
    static final String ZK_ROOT = "elastic.slots.zk.root";
    static final String REPORT_NAME = "elastic.slots.report.name";
    static final String REPORT_SECONDS = "elastic.slots.report.seconds";

    final String zk;
    final String zkRoot;
    final String name;
    final int reportSeconds;

    private NodeManagerSettings(Configuration conf) {
        zk = conf.getTrimmed(ZK);
        if (zk == null || zk.isEmpty()) {
            throw new IllegalArgumentException("yarn-site.xml: '" + ZK + "' is not set; give the ZooKeeper the slot controller uses, "
                    + "e.g. zk1:2181,zk2:2181,zk3:2181");
        }
        zkRoot = conf.getTrimmed(ZK_ROOT, "/elastichadoop/slots");
        reportSeconds = conf.getInt(REPORT_SECONDS, 5);
        if (reportSeconds < 1) throw new IllegalArgumentException("yarn-site.xml: '" + REPORT_SECONDS + "' must be 1 or more, not " + reportSeconds);
        String n = conf.getTrimmed(REPORT_NAME, conf.getTrimmed("yarn.nodemanager.hostname", ""));
        if (n.isEmpty() || "0.0.0.0".equals(n)) n = localHost();
        if (n.contains("/")) throw new IllegalArgumentException("yarn-site.xml: '" + REPORT_NAME + "' is not a host name: " + n);
        name = n;
    }

    static NodeManagerSettings from(Configuration conf) {
        return new NodeManagerSettings(conf);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("this host has no name; set '" + REPORT_NAME + "' in yarn-site.xml", e);
        }
    }
}
