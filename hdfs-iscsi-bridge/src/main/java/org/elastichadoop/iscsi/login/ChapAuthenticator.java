package org.elastichadoop.iscsi.login;

import org.elastichadoop.iscsi.session.Credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * CHAP with MD5 (RFC 1994, RFC 7143 section 12.1.3), one-way or mutual. The target challenges
 * first; when the initiator sends its own CHAP_I/CHAP_C along with its response, the target
 * proves it knows the mutual secret too.
 */
final class ChapAuthenticator {
    private static final String MD5 = "5";
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Step { WAIT_ALGORITHM, WAIT_RESPONSE, DONE }

    private final Credentials initiator;
    private final Credentials mutual;
    private Step step = Step.WAIT_ALGORITHM;
    private int identifier;
    private byte[] challenge;

    ChapAuthenticator(Credentials initiator, Credentials mutual) {
        this.initiator = initiator;
        this.mutual = mutual;
    }

    boolean done() {
        return step == Step.DONE;
    }

    /** Processes the CHAP keys of one Login Request, writing the target's keys into {@code answers}. */
    void process(TextKeys offers, TextKeys answers) throws AuthenticationException {
        switch (step) {
            case WAIT_ALGORITHM -> {
                String algorithms = offers.get("CHAP_A");
                if (algorithms == null) return; // AuthMethod alone: wait for CHAP_A
                if (!Arrays.asList(algorithms.split(",")).contains(MD5)) {
                    answers.put("CHAP_A", "Reject");
                    throw new AuthenticationException("initiator offers CHAP_A=" + algorithms + ", only MD5 (5) is supported");
                }
                identifier = RANDOM.nextInt(256);
                challenge = new byte[16];
                RANDOM.nextBytes(challenge);
                answers.put("CHAP_A", MD5);
                answers.put("CHAP_I", identifier);
                answers.put("CHAP_C", "0x" + HexFormat.of().formatHex(challenge));
                step = Step.WAIT_RESPONSE;
            }
            case WAIT_RESPONSE -> {
                String name = offers.get("CHAP_N");
                String response = offers.get("CHAP_R");
                if (name == null || response == null) {
                    throw new AuthenticationException("CHAP_N and CHAP_R expected after the challenge");
                }
                if (!name.equals(initiator.user())) {
                    throw new AuthenticationException("CHAP user '" + name + "' is not the configured user");
                }
                byte[] expected = md5(identifier, initiator.secret(), challenge);
                if (!MessageDigest.isEqual(expected, decode(response))) {
                    throw new AuthenticationException("CHAP response for user '" + name + "' does not match the secret");
                }
                String mutualId = offers.get("CHAP_I");
                String mutualChallenge = offers.get("CHAP_C");
                if (mutualId != null || mutualChallenge != null) {
                    answerMutual(mutualId, mutualChallenge, answers);
                } else if (mutual != null) {
                    throw new AuthenticationException("this target requires mutual CHAP; the initiator sent no challenge");
                }
                step = Step.DONE;
            }
            case DONE -> {
                if (offers.has("CHAP_R") || offers.has("CHAP_A")) {
                    throw new AuthenticationException("CHAP keys after authentication completed");
                }
            }
        }
    }

    private void answerMutual(String id, String challengeText, TextKeys answers) throws AuthenticationException {
        if (mutual == null) throw new AuthenticationException("initiator asks for mutual CHAP, but no target secret is configured");
        if (id == null || challengeText == null) throw new AuthenticationException("mutual CHAP needs both CHAP_I and CHAP_C");
        int mutualIdentifier;
        try {
            mutualIdentifier = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new AuthenticationException("CHAP_I=" + id + " is not a number");
        }
        if (mutualIdentifier < 0 || mutualIdentifier > 255) throw new AuthenticationException("CHAP_I out of range");
        byte[] theirs = decode(challengeText);
        if (Arrays.equals(theirs, challenge)) {
            throw new AuthenticationException("initiator reflected the target's own challenge");
        }
        if (theirs.length == 0) throw new AuthenticationException("empty CHAP_C");
        answers.put("CHAP_N", mutual.user());
        answers.put("CHAP_R", "0x" + HexFormat.of().formatHex(md5(mutualIdentifier, mutual.secret(), theirs)));
    }

    /** CHAP binary values: 0x-prefixed hex or 0b-prefixed base64. */
    static byte[] decode(String value) throws AuthenticationException {
        try {
            if (value.startsWith("0x") || value.startsWith("0X")) {
                String hex = value.substring(2);
                if (hex.length() % 2 == 1) hex = "0" + hex;
                return HexFormat.of().parseHex(hex);
            }
            if (value.startsWith("0b") || value.startsWith("0B")) {
                return Base64.getDecoder().decode(value.substring(2));
            }
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("CHAP value is not valid hex or base64");
        }
        throw new AuthenticationException("CHAP value must start with 0x or 0b");
    }

    static byte[] md5(int identifier, String secret, byte[] challenge) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update((byte) identifier);
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            md.update(challenge);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}
