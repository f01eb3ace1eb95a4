package org.elastichadoop.slots.controller;

import org.elastichadoop.slots.allocation.StrictJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;

/** Policy settings as JSON in ZooKeeper (ROOT/policy): the same keys as the config file's 'policy'. */
public final class PolicyJson {
    private static final ObjectMapper JSON = StrictJson.mapper(true);

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
            throw new IllegalArgumentException("not policy JSON: " + StrictJson.firstLine(e.getMessage()));
        }
    }


    public static byte[] encode(ControllerConfig.Policy p) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
