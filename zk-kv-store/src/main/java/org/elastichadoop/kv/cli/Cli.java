package org.elastichadoop.kv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.elastichadoop.kv.client.KvException;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.concurrent.Futures;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every command line of this module shares: user mistakes (an unreachable ZooKeeper, a refused put,
 * a bad config key) print one line saying what failed and what to do, with no stack trace; and
 * {@code --config FILE} reads option defaults from a properties file (keys are the long option names
 * without dashes), where an unknown key is an error naming the key and the file.
 */
final class Cli {
    private Cli() {
    }

    static int run(Object command, String[] args) {
        // Netty 4.2's default (adaptive) allocator churned megabyte-sized direct buffers under 1 MiB puts; the
        // pooled one keeps its chunks (measured with bin/kv-bench: about 12% more 1 MiB put throughput).
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "pooled");
        }
        // Log-volume segments are 4 MiB entries; with framing they exceed the default 4 MiB chunk, and every
        // larger buffer is allocated outside the pool and zeroed. 8 MiB chunks keep them pooled.
        if (System.getProperty("io.netty.allocator.maxOrder") == null) {
            System.setProperty("io.netty.allocator.maxOrder", "10");
        }
        CommandLine cl = new CommandLine(command);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (isUsersToFix(e)) {
                line.getErr().println("error: " + Futures.cause(e).getMessage());
                return 1;
            }
            throw e;
        });
        try {
            Path config = configArg(args);
            if (config != null) {
                cl.setDefaultValueProvider(defaults(config, cl.getCommandSpec()));
            }
        } catch (UserException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        return cl.execute(args);
    }

    /**
     * Runs a command that {@link QuickArgs} recognised, reporting failures as {@link #run} does: one line for a
     * mistake the user can fix, a stack trace for anything else.
     */
    static int call(java.util.concurrent.Callable<Integer> command) {
        try {
            return command.call();
        } catch (Exception e) {
            if (isUsersToFix(e)) {
                System.err.println("error: " + Futures.cause(e).getMessage());
            } else {
                e.printStackTrace();
            }
            return 1;
        }
    }

    private static boolean isUsersToFix(Exception e) {
        Throwable cause = Futures.cause(e);
        return cause instanceof Zk.ZkUnreachableException || cause instanceof KvException
                || cause instanceof UserException || cause instanceof IOException
                || cause instanceof IllegalArgumentException || cause instanceof IllegalStateException;
    }

    private static Path configArg(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        return null;
    }

    private static CommandLine.IDefaultValueProvider defaults(Path file, CommandSpec spec) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new UserException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserException("cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> known = new HashSet<>();
        for (OptionSpec o : spec.options()) {
            known.add(o.longestName().replaceFirst("^-+", ""));
        }
        for (String key : props.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new UserException("unknown key '" + key + "' in " + file + "; known keys: " + new java.util.TreeSet<>(known));
            }
        }
        return new CommandLine.PropertiesDefaultProvider(props);
    }

    /** A mistake by the person running the command; the message is all they need to see. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }
    }
}
