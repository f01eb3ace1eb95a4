package org.elastichadoop.kv.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.Test;
import picocli.CommandLine;

/**
 * QuickArgs against picocli, the grammar's owner: every command line QuickArgs recognises, picocli parses to the
 * same command with the same values; what QuickArgs declines is left to picocli.
 */
public class QuickArgsTest {
    private static final String[] WORDS = {
        "get", "put", "delete", "stat", "status", "config", "remove-node", "k1", "a key", "-", "value.bin", "put",
        "--zk", "--zk", "zk1:2181", "--zk=zk2:2181,zk3:2181", "--zk=", "--cluster", "c1", "--cluster=c2", "--json",
        "--json", "--help", "-h", "-V", "--config", "@args", "--rf", "3", "--", "--jsonx", "-k", "", "=", "k=v",
    };

    /** What picocli would run for the command line, described by its values; null when picocli rejects it. */
    private static String picocli(String[] args) {
        CommandLine cl = new CommandLine(new KvCtl());
        try {
            CommandLine.ParseResult r = cl.parseArgs(args);
            if (!r.hasSubcommand() || r.subcommand().isUsageHelpRequested() || r.isUsageHelpRequested()
                    || r.isVersionHelpRequested()) {
                return null;
            }
            return describe(r.subcommand().commandSpec().userObject());
        } catch (CommandLine.ParameterException e) {
            return null;
        }
    }

    private static String describe(Object command) {
        if (command instanceof KvCtl.Get c) {
            return "get " + c.key + " " + ctl(c.ctl);
        }
        if (command instanceof KvCtl.Put c) {
            return "put " + c.key + " " + c.source + " " + ctl(c.ctl);
        }
        if (command instanceof KvCtl.Delete c) {
            return "delete " + c.key + " " + ctl(c.ctl);
        }
        if (command instanceof KvCtl.Stat c) {
            return "stat " + c.key + " " + ctl(c.ctl);
        }
        if (command instanceof KvCtl.Status c) {
            return "status " + ctl(c.ctl);
        }
        return "other " + command.getClass().getSimpleName();
    }

    private static String ctl(KvCtl ctl) {
        return "zk=" + ctl.zk + " cluster=" + ctl.cluster + " json=" + ctl.json;
    }

    private static void assertAgrees(String... args) {
        Callable<Integer> quick = QuickArgs.parse(args);
        if (quick != null) {
            assertEquals("command line " + Arrays.toString(args), picocli(args), describe(quick));
        }
    }

    @Test
    public void everydayCommandLinesAreRecognisedAsPicocliReadsThem() {
        String[][] lines = {
            {"get", "k1"},
            {"--zk", "h:1", "get", "k1"},
            {"get", "k1", "--zk", "h:1", "--json"},
            {"--zk=h:1,h:2", "--cluster", "c", "put", "k1", "file"},
            {"put", "k1"},
            {"put", "k1", "-"},
            {"delete", "k1", "--cluster=c"},
            {"stat", "k1", "--json"},
            {"status"},
            {"--json", "status", "--zk", "h:1"},
        };
        for (String[] line : lines) {
            assertNotNull("not recognised: " + Arrays.toString(line), QuickArgs.parse(line));
            assertNotNull("picocli rejects " + Arrays.toString(line), picocli(line));
            assertAgrees(line);
        }
    }

    @Test
    public void anythingUnusualIsLeftToPicocli() {
        String[][] lines = {
            {}, {"--help"}, {"get", "--help"}, {"-V"}, {"get"}, {"get", "a", "b"}, {"put"}, {"put", "k", "f", "x"},
            {"status", "x"}, {"config", "--rf", "3"}, {"remove-node", "n1"}, {"--zk", "a", "--zk", "b", "get", "k"},
            {"--json", "--json", "status"}, {"get", "@file"}, {"--config", "f", "get", "k"}, {"get", "--", "-k"},
            {"k1", "get"}, {"get", "-k"}, {"--zk"}, {"--zk=", "get", "k"}, {"get", ""},
        };
        for (String[] line : lines) {
            assertNull("recognised: " + Arrays.toString(line), QuickArgs.parse(line));
        }
    }

    @Test
    public void generatedCommandLinesAgreeWithPicocli() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int recognised = 0;
        for (int n = 0; n < 20_000; n++) {
            List<String> line = new ArrayList<>();
            int length = random.nextInt(7);
            for (int i = 0; i < length; i++) {
                line.add(WORDS[random.nextInt(WORDS.length)]);
            }
            String[] args = line.toArray(new String[0]);
            if (QuickArgs.parse(args) != null) {
                recognised++;
                assertEquals("seed " + seed + ", command line " + line, picocli(args), describe(QuickArgs.parse(args)));
            }
        }
        assertTrue("seed " + seed + ": only " + recognised + " generated lines recognised", recognised > 200);
    }
}
