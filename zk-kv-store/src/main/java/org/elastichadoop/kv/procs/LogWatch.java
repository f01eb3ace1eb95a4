package org.elastichadoop.kv.procs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A text looked for in a log file that a program writes, from an offset on (a program that appends to an earlier run's
 * log is not taken as ready by that run's line). Reads only what was added since the last look; bytes are read as
 * ISO-8859-1, so any log can be searched for ASCII text.
 */
public final class LogWatch {
    private final Path log;
    private final String text;
    private long position;
    private String carry = "";

    public LogWatch(Path log, long from, String text) {
        if (text.isEmpty()) throw new IllegalArgumentException("nothing to look for");
        this.log = log;
        this.position = from;
        this.text = text;
    }

    /** Whether the text was written after the offset, up to now. */
    public boolean found() throws IOException {
        if (carry == null) return true;
        String added;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size <= position) return false;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - position, 1 << 20));
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) > 0) {
                // reads what is there
            }
            position += buf.position();
            added = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException notYet) {
            return false;
        }
        String window = carry + added;
        if (window.contains(text)) {
            carry = null;
            return true;
        }
        carry = window.substring(Math.max(0, window.length() - text.length() + 1));
        return false;
    }

    /** Waits until {@code log} has {@code text} anywhere in it; for a log whose program is not at hand. */
    public static void await(Path log, String text, Duration timeout) throws IOException, InterruptedException {
        LogWatch watch = new LogWatch(log, 0, text);
        long end = System.nanoTime() + timeout.toNanos();
        while (!watch.found()) {
            if (System.nanoTime() > end) {
                throw new ProgramNotReadyException(log.getFileName() + " did not show '" + text + "' within " + timeout.toMillis() + " ms; see "
                        + log + tailSection(log, 0, 30));
            }
            Thread.sleep(50);
        }
    }

    /** The last {@code lines} lines of the log written after {@code from}; empty when there are none. */
    public static List<String> tail(Path log, long from, int lines) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            long start = Math.max(from, ch.size() - 64 * 1024);
            if (start >= ch.size()) return List.of();
            ByteBuffer buf = ByteBuffer.allocate((int) (ch.size() - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
                // reads what is there
            }
            List<String> all = new ArrayList<>(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).replace('\r', '\n').lines().toList());
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The tail as a message section: a heading line and the lines, or a note that the log is empty or missing. */
    static String tailSection(Path log, long from, int lines) {
        if (!Files.exists(log)) return "\n(" + log + " does not exist)";
        List<String> tail = tail(log, from, lines);
        if (tail.isEmpty()) return "\n(" + log + " is empty)";
        return "\n---- last " + tail.size() + " lines of " + log + " ----\n" + String.join("\n", tail) + "\n----";
    }
}
