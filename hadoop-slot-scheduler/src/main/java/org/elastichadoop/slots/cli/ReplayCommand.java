package org.elastichadoop.slots.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.elastichadoop.slots.controller.ConfigLoader;
import org.elastichadoop.slots.policy.HostFigures;
import org.elastichadoop.slots.policy.PolicySettings;
import org.elastichadoop.slots.policy.SlotPolicy;
import org.elastichadoop.slots.policy.Slots;
import org.elastichadoop.slots.source.RecordedSamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"What-if: runs the policy over recorded figures, step by step, and prints each allocation it would make.",
                "FILE has one sample per line: TIME_MILLIS HOST CAPACITY_CORES OTHERS_CORES."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Recorded figures.")
    Path file;

    @Option(names = "--config", paramLabel = "FILE", description = "Take the policy from this controller config (default: the defaults).")
    Path config;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PolicySettings settings = config == null ? PolicySettings.defaults() : ConfigLoader.load(config).policy.settings();
        SlotPolicy policy = new SlotPolicy(settings);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (HostFigures f : RecordedSamples.load(file)) {
            Slots s = policy.decide(f.host(), f);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("time", f.timeMillis());
            step.put("host", f.host());
            step.put("capacityCores", f.capacityCores());
            step.put("othersCores", f.othersCores());
            step.put("maps", s.maps);
            step.put("reduces", s.reduces);
            step.put("reason", s.reason);
            steps.add(step);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("policy", settings.toString());
            doc.put("steps", steps);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            return 0;
        }
        System.out.println("policy: " + settings);
        System.out.printf("%-15s %-20s %8s %7s %5s %7s  %s%n", "time", "host", "capacity", "others", "maps", "reduces", "why");
        for (Map<String, Object> s : steps) {
            System.out.printf("%-15s %-20s %8.2f %7.2f %5s %7s  %s%n", s.get("time"), s.get("host"), s.get("capacityCores"),
                    s.get("othersCores"), s.get("maps"), s.get("reduces"), s.get("reason"));
        }
        return 0;
    }
}
