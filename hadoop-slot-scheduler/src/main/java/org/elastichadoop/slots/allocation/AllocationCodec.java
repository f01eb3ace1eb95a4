package org.elastichadoop.slots.allocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Allocations to and from the JSON stored in ZooKeeper. Anything that is not a valid allocation is refused. */
public final class AllocationCodec {
    private static final ObjectMapper JSON = StrictJson.mapper(false);

    private AllocationCodec() {}

    public static byte[] encode(Allocation a) {
        try {
            return JSON.writeValueAsBytes(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + a, e);
        }
    }

    /** The allocation in {@code json}; {@code where} (e.g. the znode path) goes into the error. */
    public static Allocation decode(byte[] json, String where) {
        if (json == null || json.length == 0) throw new InvalidAllocationException(where + ": empty");
        try {
            return JSON.readValue(json, Allocation.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw new InvalidAllocationException(where + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()), e);
        } catch (IOException e) {
            String text = new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8);
            throw new InvalidAllocationException(where + ": not an allocation (" + StrictJson.firstLine(e.getMessage()) + "): " + text, e);
        }
    }

}
