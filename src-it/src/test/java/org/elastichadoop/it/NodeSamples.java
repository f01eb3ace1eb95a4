package org.elastichadoop.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the master daemon (a JobTracker's /jmx, a ResourceManager's REST API) says of each worker node, sampled every
 * 100 ms on a thread of its own: the capacity it gives the node (map slots, vcores) and how much of it is in use.
 */
final class NodeSamples implements AutoCloseable {
    /** One node at one moment. */
    record Sample(long at, String host, int capacity, int used) {
    }

    /** Reads every node: host to {capacity, used}; throws while the master is down. */
    interface Source {
        Map<String, int[]> read() throws Exception;
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    NodeSamples(String name, Source source) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    long now = System.currentTimeMillis();
                    for (Map.Entry<String, int[]> e : source.read().entrySet()) {
                        samples.add(new Sample(now, e.getKey(), e.getValue()[0], e.getValue()[1]));
                    }
                } catch (Exception masterDown) {
                    // starting or restarting: no samples
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    Sample latest(String host) {
        for (int i = samples.size() - 1; i >= 0; i--) if (samples.get(i).host.equals(host)) return samples.get(i);
        return null;
    }

    /** Waits for a sample taken from now on with {@code host} at {@code capacity}; returns the ms it took. */
    long awaitCapacity(String host, int capacity, long ms, String what) throws Exception {
        long from = System.currentTimeMillis();
        SlotsRun.await(() -> {
            Sample s = latest(host);
            return s != null && s.at > from && s.capacity == capacity;
        }, ms, host + " " + what);
        return System.currentTimeMillis() - from;
    }

    int maxUsed(String host, long from, long to) {
        int max = 0;
        for (Sample s : samples) if (s.host.equals(host) && s.at >= from && s.at <= to) max = Math.max(max, s.used);
        return max;
    }

    /** {@code host}'s samples from {@code from} to {@code to} as "ms:capacity/used", ms counted from {@code from}. */
    String describe(String host, long from, long to) {
        StringBuilder out = new StringBuilder();
        for (Sample s : samples) {
            if (s.host.equals(host) && s.at >= from && s.at <= to) out.append(' ').append(s.at - from).append(':').append(s.capacity).append('/').append(s.used);
        }
        return out.toString();
    }

    List<Sample> all() {
        return samples;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
