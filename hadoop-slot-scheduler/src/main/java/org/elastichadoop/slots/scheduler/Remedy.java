package org.elastichadoop.slots.scheduler;

/** What an operator should do when elastic slots switch themselves off in a daemon, by what went wrong. */
public final class Remedy {
    private Remedy() {}

    /** One sentence, starting with a capital, without the closing "restart the daemon". */
    public static String of(Throwable t) {
        if (t instanceof LinkageError) {
            return "A class is missing or clashes: put only the hadoop-slot-scheduler-hadoop1.jar of one release in $HADOOP_HOME/lib";
        }
        if (t instanceof IllegalArgumentException) return "Fix it in mapred-site.xml";
        return "Please report it with this stack trace";
    }
}
