package org.elastichadoop.slots.cli;

import org.apache.curator.framework.CuratorFramework;
import org.elastichadoop.slots.controller.ControllerConfig;
import org.elastichadoop.slots.controller.PolicyJson;
import org.elastichadoop.slots.zk.AllocationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;

/** slotctl policy show | set KEY=VALUE...: the policy in ZooKeeper, which the controllers use instead of their file's. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"show: the policy set in ZooKeeper (controllers use it instead of their file's);",
                "set KEY=VALUE...: changes it (keys as in the config file's 'policy', e.g. targetUtilisation=0.7 maxMaps=6);",
                "clear: back to each controller's file."})
final class PolicyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "show|set|clear")
    String action;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE")
    java.util.List<String> assignments = new java.util.ArrayList<>();

    @Mixin
    ZkOptions where = new ZkOptions();

    @Option(names = "--json", description = "JSON output (show always prints the policy's JSON).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (CuratorFramework c = where.connect()) {
            AllocationStore store = where.store(c);
            Optional<byte[]> current = store.readPolicy();
            switch (action) {
                case "show":
                    System.out.println(current.isPresent() ? new String(current.get(), StandardCharsets.UTF_8)
                            : json ? "{\"policy\":null}" : "no policy in ZooKeeper: each controller uses the 'policy' of its configuration file");
                    return 0;
                case "clear":
                    c.delete().quietly().forPath(store.paths().policy());
                    System.out.println(json ? "{\"policy\":null}" : "policy cleared: controllers use their configuration files again");
                    return 0;
                case "set":
                    if (assignments.isEmpty()) throw new UserException("policy set needs KEY=VALUE pairs, e.g. targetUtilisation=0.7");
                    com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode)
                            new com.fasterxml.jackson.databind.ObjectMapper().readTree(current.isPresent() ? current.get()
                                    : PolicyJson.encode(new ControllerConfig.Policy()));
                    for (String a : assignments) {
                        int eq = a.indexOf('=');
                        if (eq <= 0) throw new UserException("'" + a + "' is not KEY=VALUE");
                        String key = a.substring(0, eq);
                        if (!node.has(key)) throw new UserException("unknown policy key '" + key + "'; keys: " + fieldNames(node));
                        String value = a.substring(eq + 1);
                        try {
                            if (value.matches("-?\\d+")) node.put(key, Long.parseLong(value));
                            else node.put(key, Double.parseDouble(value));
                        } catch (NumberFormatException e) {
                            throw new UserException("policy key '" + key + "' takes a number, not '" + a.substring(eq + 1) + "'");
                        }
                    }
                    byte[] proposed = node.toString().getBytes(StandardCharsets.UTF_8);
                    ControllerConfig.Policy p;
                    try {
                        p = PolicyJson.parse(proposed);
                    } catch (IllegalArgumentException e) {
                        throw new UserException(e.getMessage());
                    }
                    store.writePolicy(PolicyJson.encode(p));
                    System.out.println(json ? new String(PolicyJson.encode(p), StandardCharsets.UTF_8)
                            : "policy set: " + p.settings() + " (the active controller applies it at its next poll)");
                    return 0;
                default:
                    throw new UserException("policy takes show, set or clear, not '" + action + "'");
            }
        }
    }

    private static String fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        StringBuilder b = new StringBuilder();
        node.fieldNames().forEachRemaining(n -> b.append(b.length() == 0 ? "" : ", ").append(n));
        return b.toString();
    }
}
