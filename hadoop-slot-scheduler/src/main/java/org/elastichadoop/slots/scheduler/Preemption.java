package org.elastichadoop.slots.scheduler;

import org.apache.hadoop.mapred.TaskAttemptID;
import org.apache.hadoop.mapred.TaskStatus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which running task attempts to kill so that a tracker runs no more than its allocation: the
 * newest ones (the least work lost), skipping attempts already asked to die that the tracker has
 * not yet reported gone.
 */
public final class Preemption {
    private static final long FORGET_AFTER_MS = 60_000;
    private final Map<TaskAttemptID, Long> killed = new ConcurrentHashMap<>();

    /** The attempts to kill among {@code reports} (one tracker's), for a cap of {@code maps} maps and {@code reduces} reduces. */
    public List<TaskAttemptID> choose(List<TaskStatus> reports, int maps, int reduces, long now) {
        for (Iterator<Map.Entry<TaskAttemptID, Long>> i = killed.entrySet().iterator(); i.hasNext(); ) {
            if (now - i.next().getValue() > FORGET_AFTER_MS) i.remove();
        }
        List<TaskAttemptID> out = new ArrayList<>();
        out.addAll(excess(reports, true, maps));
        out.addAll(excess(reports, false, reduces));
        for (TaskAttemptID id : out) killed.put(id, now);
        return out;
    }

    private List<TaskAttemptID> excess(List<TaskStatus> reports, boolean map, int cap) {
        List<TaskStatus> running = new ArrayList<>(); // attempts already asked to die do not count: they are going
        for (TaskStatus t : reports) {
            if (t.getIsMap() != map) continue;
            TaskStatus.State state = t.getRunState();
            if (state != TaskStatus.State.RUNNING && state != TaskStatus.State.UNASSIGNED) continue;
            if (!killed.containsKey(t.getTaskID())) running.add(t);
        }
        int over = running.size() - cap;
        if (over <= 0) return Collections.emptyList();
        running.sort(Comparator.comparingLong(TaskStatus::getStartTime).reversed());
        List<TaskAttemptID> out = new ArrayList<>();
        for (int i = 0; i < over; i++) out.add(running.get(i).getTaskID());
        return out;
    }
}
