package org.elastichadoop.iscsi.bridge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@link BridgeConfig} from a YAML file, with errors that name the key and the file. */
public final class ConfigLoader {
    private ConfigLoader() {}

    public static BridgeConfig load(Path file) throws ConfigException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        try {
            BridgeConfig config = yaml.readValue(Files.readAllBytes(file), BridgeConfig.class);
            if (config == null) throw new ConfigException(file + ": the file is empty");
            return config;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file + ": unknown key '" + path(e) + "' (line " + e.getLocation().getLineNr()
                    + "); known keys here: " + e.getKnownPropertyIds());
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": bad value for '" + path(e) + "' (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read it: " + e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!s.isEmpty()) s.append('.');
                s.append(ref.getFieldName());
            } else {
                s.append('[').append(ref.getIndex()).append(']');
            }
        }
        return s.toString();
    }
}
