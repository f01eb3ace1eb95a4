package org.elastichadoop.iscsi.bridge;

/** A configuration the bridge cannot run with; the message names the key and the file. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
