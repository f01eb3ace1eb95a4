package org.elastichadoop.iscsi.bench;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Progress lines on stderr (the report goes to stdout): {@code [iscsi-bench 12:34:56] ...}. */
final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Progress() {
    }

    static void log(String message) {
        System.err.println("[iscsi-bench " + LocalTime.now().format(TIME) + "] " + message);
        System.err.flush();
    }
}
