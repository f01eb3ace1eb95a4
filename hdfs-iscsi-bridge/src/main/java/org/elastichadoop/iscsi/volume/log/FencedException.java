package org.elastichadoop.iscsi.volume.log;

import java.io.IOException;

/** Another bridge took the volume over (a newer writer epoch): this one must stop writing it. */
public final class FencedException extends IOException {
    public FencedException(String message) {
        super(message);
    }
}
