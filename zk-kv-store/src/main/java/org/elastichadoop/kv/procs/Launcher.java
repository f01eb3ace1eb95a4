package org.elastichadoop.kv.procs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How a program is run: the command line that comes before its own arguments. */
@FunctionalInterface
public interface Launcher {
    /** The whole command line for these program arguments. */
    List<String> command(List<String> args);

    /** An executable, such as one of the repository's bin/ scripts (which read their JVM options from the environment). */
    static Launcher script(Path executable) {
        return prefix(List.of(executable.toString()));
    }

    /** A main class run by this JVM's java with {@code classPath} and {@code jvmOptions}. */
    static Launcher java(String classPath, String mainClass, List<String> jvmOptions) {
        List<String> prefix = new ArrayList<>();
        prefix.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        prefix.addAll(jvmOptions);
        prefix.addAll(List.of("-cp", classPath, mainClass));
        return prefix(prefix);
    }

    /** A fixed command line the arguments are appended to. */
    static Launcher prefix(List<String> prefix) {
        List<String> fixed = List.copyOf(prefix);
        return args -> {
            List<String> cmd = new ArrayList<>(fixed);
            cmd.addAll(args);
            return cmd;
        };
    }
}
