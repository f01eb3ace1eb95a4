package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

import java.util.concurrent.TimeUnit;

/** A started Curator client, or a one-line error when ZooKeeper cannot be reached. */
public final class Zk {
    private Zk() {}

    public static CuratorFramework connect(String connect, int sessionMs) throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connect, sessionMs, 5000, new ExponentialBackoffRetry(200, 10));
        c.start();
        if (!c.blockUntilConnected(10, TimeUnit.SECONDS)) {
            c.close();
            throw new UserException("cannot reach ZooKeeper at " + connect + " within 10 s; is it running? (--zk HOST:PORT)");
        }
        return c;
    }
}
