package org.elastichadoop.iscsi.volume.log;

import java.io.IOException;

/**
 * Named steps of the writer's work where a test may stop it, as if the bridge were killed there: between storing a
 * checkpoint's pages and recording it, between a merge and its install, halfway through compaction. In production
 * nothing is ever done at them.
 */
interface FaultPoints {
    FaultPoints NONE = where -> { };

    void reached(String where) throws IOException;
}
