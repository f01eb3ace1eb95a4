package org.elastichadoop.slots.yarn.rm;

/** The ResourceManager refused the admin call: the service's user is not in its admin ACL. */
public final class AdminRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdminRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
