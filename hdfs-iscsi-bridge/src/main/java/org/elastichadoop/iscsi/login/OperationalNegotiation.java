package org.elastichadoop.iscsi.login;

import org.elastichadoop.iscsi.session.SessionParameters;
import org.elastichadoop.iscsi.session.TargetSettings;

import java.util.HashSet;
import java.util.Set;

/**
 * Negotiates the operational keys of RFC 7143 section 13 across the PDUs of one login: each offer
 * is answered by the key's result function (minimum, maximum, AND, OR, first supported value of a
 * list), with "Reject" for a value out of range, "Irrelevant" where the key does not apply, and
 * "NotUnderstood" for keys this target does not know.
 */
final class OperationalNegotiation {
    private static final int MIN_DATA = 512;
    private static final int MAX_DATA = (1 << 24) - 1;

    private final TargetSettings target;
    private final Set<String> answered = new HashSet<>();

    boolean discovery;
    boolean headerDigest;
    boolean dataDigest;
    int initiatorMaxRecvDataSegmentLength = 8192;
    int maxBurstLength = 262_144;
    int firstBurstLength = 65_536;
    boolean initialR2T = true;
    boolean immediateData = true;
    int maxOutstandingR2T = 1;
    int maxConnections = 1;
    int defaultTime2Wait = 2;
    int defaultTime2Retain = 20;
    int errorRecoveryLevel;
    private boolean declaredOwnMrdsl;

    OperationalNegotiation(TargetSettings target) {
        this.target = target;
    }

    /**
     * Answers each operational key in {@code offers} into {@code answers}. Security and
     * declarative login keys (InitiatorName, TargetName, SessionType, AuthMethod, CHAP_*) are
     * left to the caller.
     */
    void answer(TextKeys offers, TextKeys answers) throws NegotiationException {
        for (var e : offers.asMap().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (LoginKeys.isLoginKey(key)) continue;
            if (!answered.add(key) && !key.startsWith("X")) {
                throw new NegotiationException("key " + key + " negotiated twice in one login");
            }
            String answer = answerOne(key, value);
            if (answer != null) answers.put(key, answer);
        }
        if (!declaredOwnMrdsl) {
            // declarative: the initiator needs it to size its Data-Out and immediate data
            answers.put("MaxRecvDataSegmentLength", target.maxRecvDataSegmentLength());
            declaredOwnMrdsl = true;
        }
    }

    private String answerOne(String key, String value) throws NegotiationException {
        switch (key) {
            case "HeaderDigest" -> {
                String pick = digest(value, target.headerDigest());
                if (pick != null) headerDigest = pick.equals("CRC32C");
                return pick == null ? "Reject" : pick;
            }
            case "DataDigest" -> {
                String pick = digest(value, target.dataDigest());
                if (pick != null) dataDigest = pick.equals("CRC32C");
                return pick == null ? "Reject" : pick;
            }
            case "MaxRecvDataSegmentLength" -> {
                Long n = number(value, MIN_DATA, MAX_DATA);
                if (n == null) return "Reject";
                initiatorMaxRecvDataSegmentLength = n.intValue();
                declaredOwnMrdsl = true;
                return Integer.toString(target.maxRecvDataSegmentLength());
            }
            case "MaxConnections" -> {
                if (discovery) return "Irrelevant";
                Long n = number(value, 1, 65535);
                if (n == null) return "Reject";
                maxConnections = 1;
                return "1";
            }
            case "InitialR2T" -> {
                if (discovery) return "Irrelevant";
                Boolean b = bool(value);
                if (b == null) return "Reject";
                initialR2T = b || target.initialR2T();
                return yesNo(initialR2T);
            }
            case "ImmediateData" -> {
                if (discovery) return "Irrelevant";
                Boolean b = bool(value);
                if (b == null) return "Reject";
                immediateData = b && target.immediateData();
                return yesNo(immediateData);
            }
            case "MaxBurstLength" -> {
                if (discovery) return "Irrelevant";
                Long n = number(value, MIN_DATA, MAX_DATA);
                if (n == null) return "Reject";
                maxBurstLength = (int) Math.min(n, target.maxBurstLength());
                firstBurstLength = Math.min(firstBurstLength, maxBurstLength);
                return Integer.toString(maxBurstLength);
            }
            case "FirstBurstLength" -> {
                if (discovery) return "Irrelevant";
                Long n = number(value, MIN_DATA, MAX_DATA);
                if (n == null) return "Reject";
                firstBurstLength = (int) Math.min(Math.min(n, target.firstBurstLength()), maxBurstLength);
                return Integer.toString(firstBurstLength);
            }
            case "MaxOutstandingR2T" -> {
                if (discovery) return "Irrelevant";
                Long n = number(value, 1, 65535);
                if (n == null) return "Reject";
                maxOutstandingR2T = (int) Math.min(n, target.maxOutstandingR2T());
                return Integer.toString(maxOutstandingR2T);
            }
            case "DataPDUInOrder", "DataSequenceInOrder" -> {
                if (discovery) return "Irrelevant";
                if (bool(value) == null) return "Reject";
                return "Yes"; // OR with this target's Yes: data arrives in order
            }
            case "DefaultTime2Wait" -> {
                Long n = number(value, 0, 3600);
                if (n == null) return "Reject";
                defaultTime2Wait = (int) Math.max(n, 2);
                return Integer.toString(defaultTime2Wait);
            }
            case "DefaultTime2Retain" -> {
                Long n = number(value, 0, 3600);
                if (n == null) return "Reject";
                defaultTime2Retain = 0; // minimum with ours: nothing is retained at ErrorRecoveryLevel 0
                return "0";
            }
            case "ErrorRecoveryLevel" -> {
                Long n = number(value, 0, 2);
                if (n == null) return "Reject";
                errorRecoveryLevel = 0;
                return "0";
            }
            case "IFMarker", "OFMarker" -> {
                // obsolete since RFC 7143 (section 13.26); "No" keeps RFC 3720 initiators happy
                return bool(value) == null ? "Reject" : "No";
            }
            case "IFMarkInt", "OFMarkInt" -> {
                return "Reject";
            }
            case "TaskReporting" -> {
                return "RFC3720";
            }
            case "iSCSIProtocolLevel" -> {
                Long n = number(value, 0, 31);
                if (n == null) return "Reject";
                return Long.toString(Math.min(n, 1));
            }
            case "InitiatorAlias" -> {
                return null; // declarative, no answer
            }
            default -> {
                return "NotUnderstood";
            }
        }
    }

    /** The first value of the initiator's list that this target accepts. */
    private static String digest(String offer, boolean crcAllowed) {
        for (String v : offer.split(",")) {
            if (v.equals("None")) return "None";
            if (v.equals("CRC32C") && crcAllowed) return "CRC32C";
        }
        return null;
    }

    private static Boolean bool(String v) {
        return switch (v) {
            case "Yes" -> Boolean.TRUE;
            case "No" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String yesNo(boolean b) {
        return b ? "Yes" : "No";
    }

    /** A decimal or 0x-hex number within [min, max], or null. */
    private static Long number(String v, long min, long max) {
        try {
            long n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            return n < min || n > max ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    SessionParameters result(String initiatorName, String initiatorAlias, String targetName) {
        boolean fbRelevant = !initialR2T || immediateData;
        return new SessionParameters(discovery, initiatorName, initiatorAlias, targetName, headerDigest, dataDigest,
                initiatorMaxRecvDataSegmentLength, target.maxRecvDataSegmentLength(), maxBurstLength,
                fbRelevant ? Math.min(firstBurstLength, maxBurstLength) : 0, initialR2T, immediateData,
                maxOutstandingR2T, errorRecoveryLevel, maxConnections, defaultTime2Wait, defaultTime2Retain);
    }
}
