package org.elastichadoop.iscsi.login;

import java.util.Set;

/** Keys the login state machine handles itself, not the operational negotiation. */
final class LoginKeys {
    private LoginKeys() {}

    private static final Set<String> KEYS = Set.of("InitiatorName", "TargetName", "SessionType", "AuthMethod",
            "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R", "TargetAlias", "TargetAddress",
            "TargetPortalGroupTag");

    static boolean isLoginKey(String key) {
        return KEYS.contains(key);
    }
}
