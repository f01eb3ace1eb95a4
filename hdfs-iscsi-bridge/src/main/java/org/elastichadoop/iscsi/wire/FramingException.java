package org.elastichadoop.iscsi.wire;

/** The byte stream cannot be framed into PDUs any more; the connection must close. */
public class FramingException extends Exception {
    public FramingException(String message) {
        super(message);
    }
}
