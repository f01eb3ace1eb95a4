package org.elastichadoop.kv.cluster;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;

/** Opens a Curator client and waits for it to connect, with an error a person can act on. */
public final class Zk {
    public static final String DEFAULT_CONNECT = "127.0.0.1:2181";

    private Zk() {
    }

    public static CuratorFramework connect(String connectString, int sessionTimeoutMillis, long waitMillis) throws InterruptedException {
        CuratorFramework zk = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(sessionTimeoutMillis)
                .connectionTimeoutMs((int) Math.min(waitMillis, sessionTimeoutMillis))
                .retryPolicy(new BoundedExponentialBackoffRetry(200, 5_000, 10))
                .build();
        zk.start();
        if (!zk.blockUntilConnected((int) waitMillis, TimeUnit.MILLISECONDS)) {
            zk.close();
            throw unreachable(connectString, waitMillis);
        }
        return zk;
    }

    static ZkUnreachableException unreachable(String connectString, long waitMillis) {
        return new ZkUnreachableException("ZooKeeper at " + connectString + " did not answer within " + waitMillis
                + " ms. Start it (bin/zookeeper --port 2181 --data DIR) or pass the right --zk HOST:PORT.");
    }

    /** ZooKeeper cannot be reached; the message says what to do. */
    public static final class ZkUnreachableException extends RuntimeException {
        public ZkUnreachableException(String message) {
            super(message);
        }
    }
}
