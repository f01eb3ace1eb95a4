package org.elastichadoop.slots.controller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Loads and checks a {@link ControllerConfig}; every error names the key and the file. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private ConfigLoader() {}

    public static ControllerConfig load(Path file) throws ConfigException {
        ControllerConfig c;
        try {
            if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such file");
            c = YAML.readValue(file.toFile(), ControllerConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "' (line " + e.getLocation().getLineNr() + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": bad value for '" + path(e) + "': " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (c == null) throw new ConfigException(file + ": empty");
        check(c, file.toString());
        return c;
    }

    static void check(ControllerConfig c, String file) throws ConfigException {
        if (c.pollSeconds < 1 || c.pollSeconds > 3600) throw new ConfigException(file + ": 'pollSeconds' must be 1..3600, not " + c.pollSeconds);
        if (c.sourceTimeoutSeconds < 1 || c.sourceTimeoutSeconds > c.pollSeconds * 10) {
            throw new ConfigException(file + ": 'sourceTimeoutSeconds' must be 1.." + c.pollSeconds * 10 + ", not " + c.sourceTimeoutSeconds);
        }
        if (c.refreshSeconds < c.pollSeconds) {
            throw new ConfigException(file + ": 'refreshSeconds' (" + c.refreshSeconds + ") must be at least 'pollSeconds' (" + c.pollSeconds + ")");
        }
        try {
            c.policy.settings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage().replace("policy key '", "'policy."));
        }
        checkYarn(c.yarn, c.refreshSeconds, file);
        if (c.trackers.isEmpty()) throw new ConfigException(file + ": 'trackers' lists no TaskTracker host");
        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < c.trackers.size(); i++) {
            ControllerConfig.Tracker t = c.trackers.get(i);
            String key = "trackers[" + i + "]";
            if (t.host == null || t.host.isEmpty() || t.host.contains("/")) throw new ConfigException(file + ": '" + key + ".host' is missing or not a host name");
            if (!hosts.add(t.host)) throw new ConfigException(file + ": '" + key + ".host' " + t.host + " is listed twice");
            if ("procstat".equals(t.source)) {
                if (!"guest".equals(t.mode) && !"host".equals(t.mode)) throw new ConfigException(file + ": '" + key + ".mode' must be guest or host, not " + t.mode);
            } else if ("replay".equals(t.source)) {
                if (t.file == null) throw new ConfigException(file + ": '" + key + ".file' is required with source replay");
            } else if ("pressure".equals(t.source)) {
                if (t.capacityCores == null || !(t.capacityCores > 0)) {
                    throw new ConfigException(file + ": '" + key + ".capacityCores' (the host's cores, more than 0) is required with source pressure");
                }
            } else if ("prometheus".equals(t.source)) {
                if (t.url == null || !(t.url.startsWith("http://") || t.url.startsWith("https://"))) {
                    throw new ConfigException(file + ": '" + key + ".url' (e.g. http://tt1:9100/metrics) is required with source prometheus");
                }
            } else if ("libvirt".equals(t.source)) {
                if (t.uri == null || t.uri.isEmpty()) throw new ConfigException(file + ": '" + key + ".uri' (e.g. qemu+ssh://kvm1/system) is required with source libvirt");
                if (t.domains.isEmpty()) throw new ConfigException(file + ": '" + key + ".domains' must name the Hadoop VMs on that host");
            } else {
                throw new ConfigException(file + ": '" + key + ".source' must be procstat, pressure, prometheus, libvirt or replay, not " + t.source);
            }
        }
    }

    private static void checkYarn(ControllerConfig.Yarn y, int refreshSeconds, String file) throws ConfigException {
        if (y == null) throw new ConfigException(file + ": 'yarn' is empty; leave it out for the defaults");
        if (y.pollSeconds < 1 || y.pollSeconds > 3600) throw new ConfigException(file + ": 'yarn.pollSeconds' must be 1..3600, not " + y.pollSeconds);
        if (y.vcoresPerSlot < 1 || y.vcoresPerSlot > 64) throw new ConfigException(file + ": 'yarn.vcoresPerSlot' must be 1..64, not " + y.vcoresPerSlot);
        if (!"scale".equals(y.memory) && !"keep".equals(y.memory)) throw new ConfigException(file + ": 'yarn.memory' must be scale or keep, not " + y.memory);
        if (y.memoryStepMb < 1) throw new ConfigException(file + ": 'yarn.memoryStepMb' must be 1 or more, not " + y.memoryStepMb);
        if (y.overcommitTimeoutSeconds < -1 || y.overcommitTimeoutSeconds > 86_400) {
            throw new ConfigException(file + ": 'yarn.overcommitTimeoutSeconds' must be -1 (never preempt) or 0..86400, not " + y.overcommitTimeoutSeconds);
        }
        if (y.ttlSeconds <= refreshSeconds) {
            throw new ConfigException(file + ": 'yarn.ttlSeconds' (" + y.ttlSeconds + ") must be more than 'refreshSeconds' (" + refreshSeconds
                    + "), or every unchanged allocation would expire before it is published again");
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
