package org.elastichadoop.kv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.elastichadoop.kv.cluster.Zk;
import org.elastichadoop.kv.cluster.ZkPaths;

/**
 * kvctl's everyday command lines ({@code put}, {@code get}, {@code delete}, {@code stat}, {@code status} with
 * {@code --zk}, {@code --cluster} and {@code --json}) recognised without building picocli's command model, which
 * costs a call about 0.12 s of its 0.5 s budget. Picocli stays the grammar: anything this does not recognise
 * exactly (help, {@code --config}, a repeated or unknown option, an argument file, a wrong number of arguments,
 * the other commands) goes to picocli, which parses it or explains the mistake. QuickArgsTest holds the two to
 * the same answers over many generated command lines.
 */
final class QuickArgs {
    /** Every kvctl subcommand: picocli takes none of them as an option's value. */
    private static final Set<String> COMMANDS = Set.of("put", "get", "delete", "stat", "status", "config", "remove-node");

    private QuickArgs() {
    }

    /** The command to run, built as picocli would build it; null to let picocli parse. */
    static Callable<Integer> parse(String[] args) {
        KvCtl ctl = new KvCtl();
        ctl.zk = Zk.DEFAULT_CONNECT;
        ctl.cluster = ZkPaths.DEFAULT_CLUSTER;
        boolean zkSet = false;
        boolean clusterSet = false;
        String command = null;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json")) {
                if (ctl.json) {
                    return null;
                }
                ctl.json = true;
            } else if (a.equals("--zk") || a.equals("--cluster") || a.startsWith("--zk=") || a.startsWith("--cluster=")) {
                int eq = a.indexOf('=');
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (!plain(value) || value.startsWith("-") || COMMANDS.contains(value)) {
                    return null;
                }
                if (a.startsWith("--zk")) {
                    if (zkSet) {
                        return null;
                    }
                    zkSet = true;
                    ctl.zk = value;
                } else {
                    if (clusterSet) {
                        return null;
                    }
                    clusterSet = true;
                    ctl.cluster = value;
                }
            } else if ((a.startsWith("-") && !a.equals("-")) || !plain(a)) {
                return null;
            } else if (command == null) {
                command = a;
            } else {
                positional.add(a);
            }
        }
        if (command == null) {
            return null;
        }
        return build(ctl, command, positional);
    }

    /** Not empty and not an argument file ({@code @FILE}, which picocli expands). */
    private static boolean plain(String s) {
        return !s.isEmpty() && !s.startsWith("@");
    }

    private static Callable<Integer> build(KvCtl ctl, String command, List<String> p) {
        switch (command) {
            case "get" -> {
                if (p.size() != 1) {
                    return null;
                }
                KvCtl.Get c = new KvCtl.Get();
                c.ctl = ctl;
                c.key = p.get(0);
                return c;
            }
            case "put" -> {
                if (p.isEmpty() || p.size() > 2) {
                    return null;
                }
                KvCtl.Put c = new KvCtl.Put();
                c.ctl = ctl;
                c.key = p.get(0);
                c.source = p.size() == 2 ? p.get(1) : "-";
                return c;
            }
            case "delete" -> {
                if (p.size() != 1) {
                    return null;
                }
                KvCtl.Delete c = new KvCtl.Delete();
                c.ctl = ctl;
                c.key = p.get(0);
                return c;
            }
            case "stat" -> {
                if (p.size() != 1) {
                    return null;
                }
                KvCtl.Stat c = new KvCtl.Stat();
                c.ctl = ctl;
                c.key = p.get(0);
                return c;
            }
            case "status" -> {
                if (!p.isEmpty()) {
                    return null;
                }
                KvCtl.Status c = new KvCtl.Status();
                c.ctl = ctl;
                return c;
            }
            default -> {
                return null;
            }
        }
    }
}
