package org.elastichadoop.iscsi.bench;

import java.util.List;
import org.elastichadoop.kv.procs.RunningProgram;

/** One iSCSI target under test: started on this machine, serving one LUN of the benchmark's size. */
interface Target extends AutoCloseable {
    /** tgt, ours, log or uncached: its name in --only, in the table, and in the recorded commands. */
    String key();

    /** The LUN, as libiscsi and qemu-img address it. */
    String url();

    /** Starts the target and waits until it accepts iSCSI connections; its processes are recorded as they start. */
    void start() throws Exception;

    /** What does the target's work, by role, for its CPU figure (e.g. bridge, KV nodes, ZooKeeper). */
    List<Role> roles();

    /** Stops every process it started. */
    @Override
    void close();

    /** Processes that share one role in a target. */
    record Role(String name, List<RunningProgram> programs) {
    }
}
