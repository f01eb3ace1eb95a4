package org.elastichadoop.kv.procs;

/**
 * A started program that exited, or did not become ready in time. The message names the program and what was awaited,
 * and ends with the last lines of its log, so that the reason is usually on the screen.
 */
public final class ProgramNotReadyException extends IllegalStateException {
    public ProgramNotReadyException(String message) {
        super(message);
    }
}
