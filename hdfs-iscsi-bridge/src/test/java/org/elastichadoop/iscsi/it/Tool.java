package org.elastichadoop.iscsi.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external initiator tool (libiscsi's, qemu-img, guestfish) and captures what it printed.
 * A missing tool fails the test with the package to install: bin/test installs them.
 */
final class Tool {
    private Tool() {}

    record Result(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    static Result run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(timeoutSeconds, Map.of(), command);
    }

    static Result run(int timeoutSeconds, Map<String, String> env, String... command) throws IOException, InterruptedException {
        requireInstalled(command[0]);
        Path out = Files.createTempFile("tool", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + " s; it printed:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static void requireInstalled(String program) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return;
        }
        throw new AssertionError(program + " is not installed; bin/test installs it (Debian packages: "
                + "libiscsi-bin, qemu-utils, qemu-block-extra, libguestfs-tools, linux-image-amd64, qemu-system-x86)");
    }

    static List<String> lines(String output, String containing) {
        List<String> found = new ArrayList<>();
        for (String line : output.split("\n")) if (line.contains(containing)) found.add(line);
        return found;
    }
}
