package org.elastichadoop.iscsi.session;

/** A CHAP user name and secret. */
public record Credentials(String user, String secret) {
    @Override
    public String toString() {
        return "Credentials[user=" + user + "]";
    }
}
