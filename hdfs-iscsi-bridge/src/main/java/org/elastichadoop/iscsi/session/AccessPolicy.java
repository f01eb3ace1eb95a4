package org.elastichadoop.iscsi.session;

import java.util.Set;

/**
 * Who may log in to a target: an allow-list of initiator names (empty: anyone), and the CHAP
 * credentials an initiator must prove (null: no authentication) and the target proves back for
 * mutual CHAP (null: one-way).
 */
public record AccessPolicy(Set<String> allowedInitiators, Credentials chap, Credentials mutualChap) {

    public static final AccessPolicy OPEN = new AccessPolicy(Set.of(), null, null);

    public boolean allows(String initiatorName) {
        return allowedInitiators.isEmpty() || allowedInitiators.contains(initiatorName);
    }

    public boolean requiresChap() {
        return chap != null;
    }
}
