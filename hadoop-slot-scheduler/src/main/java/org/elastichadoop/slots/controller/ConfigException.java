package org.elastichadoop.slots.controller;

/** A configuration the controller will not run with; the message names the key and the file. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
