package org.elastichadoop.iscsi.cli;

import picocli.CommandLine;

import java.io.IOException;

/** Shared by the bridge's command lines: user mistakes print one line saying what to do, no stack trace. */
final class Cli {
    private Cli() {}

    static int run(Object command, String[] args) {
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "pooled");
        }
        // the bridge's own shutdown hook logs while it closes volumes, then stops Log4j itself
        if (System.getProperty("log4j2.shutdownHookEnabled") == null) {
            System.setProperty("log4j2.shutdownHookEnabled", "false");
        }
        // Log-volume segments are 4 MiB entries; with framing they exceed the default 4 MiB chunk, and every
        // larger buffer is allocated outside the pool and zeroed. 8 MiB chunks keep them pooled.
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", "10");
        }
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UserException || e instanceof IOException || e instanceof IllegalArgumentException) {
                line.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }
}
