package org.elastichadoop.slots.controller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;

/** Policy settings as JSON in ZooKeeper (ROOT/policy): the same keys as the config file's 'policy'. */
public final class PolicyJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);

    private PolicyJson() {}

    /** Parses and checks; an {@link IllegalArgumentException} names what is wrong. */
    public static ControllerConfig.Policy parse(byte[] json) {
        try {
            ControllerConfig.Policy p = JSON.readValue(json, ControllerConfig.Policy.class);
            p.settings();
            return p;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown policy key '" + e.getPropertyName() + "'");
        } catch (IOException e) {
            throw new IllegalArgumentException("not policy JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static byte[] encode(ControllerConfig.Policy p) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
