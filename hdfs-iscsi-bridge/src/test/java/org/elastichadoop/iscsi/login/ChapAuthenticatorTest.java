package org.elastichadoop.iscsi.login;

import org.elastichadoop.iscsi.session.Credentials;
import org.junit.Test;

import java.util.Base64;
import java.util.HexFormat;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** CHAP as RFC 1994 computes it, in hex and base64, one-way and mutual. */
public class ChapAuthenticatorTest {
    private static final Credentials ALICE = new Credentials("alice", "alice-secret-123");
    private static final Credentials TARGET = new Credentials("bridge", "target-secret-456");

    private TextKeys challenge(ChapAuthenticator chap) throws Exception {
        TextKeys answers = new TextKeys();
        chap.process(new TextKeys().put("CHAP_A", "7,5"), answers);
        assertEquals("5", answers.get("CHAP_A"));
        return answers;
    }

    private static byte[] response(TextKeys challenge, String secret) throws Exception {
        int id = Integer.parseInt(challenge.get("CHAP_I"));
        return ChapAuthenticator.md5(id, secret, ChapAuthenticator.decode(challenge.get("CHAP_C")));
    }

    @Test
    public void theRightResponseInHexOrBase64Passes() throws Exception {
        for (boolean base64 : new boolean[]{false, true}) {
            ChapAuthenticator chap = new ChapAuthenticator(ALICE, null);
            byte[] r = response(challenge(chap), ALICE.secret());
            String encoded = base64 ? "0b" + Base64.getEncoder().encodeToString(r) : "0x" + HexFormat.of().formatHex(r);
            chap.process(new TextKeys().put("CHAP_N", "alice").put("CHAP_R", encoded), new TextKeys());
            assertTrue(chap.done());
        }
    }

    @Test
    public void aWrongSecretOrUserFails() throws Exception {
        ChapAuthenticator chap = new ChapAuthenticator(ALICE, null);
        byte[] r = response(challenge(chap), "not-the-secret");
        try {
            chap.process(new TextKeys().put("CHAP_N", "alice").put("CHAP_R", "0x" + HexFormat.of().formatHex(r)), new TextKeys());
            fail("wrong secret accepted");
        } catch (AuthenticationException expected) {
            assertTrue(expected.getMessage().contains("does not match"));
        }
        ChapAuthenticator other = new ChapAuthenticator(ALICE, null);
        byte[] ok = response(challenge(other), ALICE.secret());
        try {
            other.process(new TextKeys().put("CHAP_N", "mallory").put("CHAP_R", "0x" + HexFormat.of().formatHex(ok)), new TextKeys());
            fail("wrong user accepted");
        } catch (AuthenticationException expected) {
            assertTrue(expected.getMessage().contains("mallory"));
        }
    }

    @Test
    public void mutualChapAnswersTheInitiatorsChallengeAndRefusesAReflectedOne() throws Exception {
        ChapAuthenticator chap = new ChapAuthenticator(ALICE, TARGET);
        TextKeys c = challenge(chap);
        byte[] r = response(c, ALICE.secret());
        TextKeys answers = new TextKeys();
        chap.process(new TextKeys().put("CHAP_N", "alice").put("CHAP_R", "0x" + HexFormat.of().formatHex(r))
                .put("CHAP_I", "77").put("CHAP_C", "0x0102030405060708090a0b0c0d0e0f10"), answers);
        assertEquals("bridge", answers.get("CHAP_N"));
        byte[] expected = ChapAuthenticator.md5(77, TARGET.secret(), HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
        assertEquals("0x" + HexFormat.of().formatHex(expected), answers.get("CHAP_R"));

        ChapAuthenticator reflected = new ChapAuthenticator(ALICE, TARGET);
        TextKeys c2 = challenge(reflected);
        byte[] r2 = response(c2, ALICE.secret());
        try {
            reflected.process(new TextKeys().put("CHAP_N", "alice").put("CHAP_R", "0x" + HexFormat.of().formatHex(r2))
                    .put("CHAP_I", "1").put("CHAP_C", c2.get("CHAP_C")), new TextKeys());
            fail("a reflected challenge must be refused");
        } catch (AuthenticationException expected2) {
            assertTrue(expected2.getMessage().contains("reflected"));
        }
    }

    @Test
    public void anInitiatorWithoutMd5IsRefused() {
        try {
            new ChapAuthenticator(ALICE, null).process(new TextKeys().put("CHAP_A", "6,7"), new TextKeys());
            fail("no MD5, no CHAP");
        } catch (AuthenticationException expected) {
            assertTrue(expected.getMessage().contains("MD5"));
        }
    }
}
