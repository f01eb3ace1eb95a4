package org.elastichadoop.iscsi.login;

import org.elastichadoop.iscsi.session.SessionParameters;
import org.elastichadoop.iscsi.session.TargetSettings;
import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** RFC 7143 section 13: each key's result function, range, irrelevance and unknown keys. */
public class OperationalNegotiationTest {
    private final TargetSettings target = new TargetSettings(262_144, 1_048_576, 262_144, false, true, 16,
            true, false, 128, 30, 15);

    private TextKeys answer(OperationalNegotiation n, String... pairs) throws Exception {
        TextKeys offers = new TextKeys();
        for (int i = 0; i < pairs.length; i += 2) offers.put(pairs[i], pairs[i + 1]);
        TextKeys answers = new TextKeys();
        n.answer(offers, answers);
        return answers;
    }

    @Test
    public void numbersTakeTheMinimumOrMaximumAndBooleansAndOr() throws Exception {
        OperationalNegotiation n = new OperationalNegotiation(target);
        TextKeys a = answer(n, "MaxBurstLength", "16776192", "FirstBurstLength", "65536", "MaxOutstandingR2T", "64",
                "DefaultTime2Wait", "0", "InitialR2T", "No", "ImmediateData", "Yes", "MaxConnections", "8",
                "ErrorRecoveryLevel", "2", "MaxRecvDataSegmentLength", "131072");
        assertEquals("1048576", a.get("MaxBurstLength"));          // min(offer, ours)
        assertEquals("65536", a.get("FirstBurstLength"));          // min
        assertEquals("16", a.get("MaxOutstandingR2T"));            // min
        assertEquals("2", a.get("DefaultTime2Wait"));              // max
        assertEquals("No", a.get("InitialR2T"));                   // OR of No and No
        assertEquals("Yes", a.get("ImmediateData"));               // AND of Yes and Yes
        assertEquals("1", a.get("MaxConnections"));
        assertEquals("0", a.get("ErrorRecoveryLevel"));
        assertEquals("declared, not negotiated", "262144", a.get("MaxRecvDataSegmentLength"));
        SessionParameters p = n.result("iqn.i", null, "iqn.t");
        assertEquals(131072, p.initiatorMaxRecvDataSegmentLength());
        assertEquals(1_048_576, p.maxBurstLength());
        assertFalse(p.initialR2T());
    }

    @Test
    public void digestsPickTheFirstValueThisTargetAccepts() throws Exception {
        OperationalNegotiation n = new OperationalNegotiation(target);
        TextKeys a = answer(n, "HeaderDigest", "CRC32C,None", "DataDigest", "CRC32C,None");
        assertEquals("CRC32C", a.get("HeaderDigest"));
        assertEquals("data digests are off in these settings", "None", a.get("DataDigest"));
        assertEquals("Reject", answer(new OperationalNegotiation(target), "DataDigest", "CRC32C").get("DataDigest"));
    }

    @Test
    public void outOfRangeValuesAreRejectedAndUnknownKeysNotUnderstood() throws Exception {
        TextKeys a = answer(new OperationalNegotiation(target), "MaxBurstLength", "100", "FirstBurstLength", "lots",
                "InitialR2T", "Maybe", "X-com.example.Foo", "1", "NoSuchKey", "1", "OFMarkInt", "2048~8192",
                "IFMarker", "No");
        assertEquals("Reject", a.get("MaxBurstLength"));
        assertEquals("Reject", a.get("FirstBurstLength"));
        assertEquals("Reject", a.get("InitialR2T"));
        assertEquals("NotUnderstood", a.get("X-com.example.Foo"));
        assertEquals("NotUnderstood", a.get("NoSuchKey"));
        assertEquals("Reject", a.get("OFMarkInt"));
        assertEquals("No", a.get("IFMarker"));
    }

    @Test
    public void sessionKeysAreIrrelevantInDiscovery() throws Exception {
        OperationalNegotiation n = new OperationalNegotiation(target);
        n.discovery = true;
        TextKeys a = answer(n, "MaxBurstLength", "262144", "ImmediateData", "Yes", "MaxConnections", "1",
                "HeaderDigest", "None");
        assertEquals("Irrelevant", a.get("MaxBurstLength"));
        assertEquals("Irrelevant", a.get("ImmediateData"));
        assertEquals("Irrelevant", a.get("MaxConnections"));
        assertEquals("None", a.get("HeaderDigest"));
    }

    @Test
    public void aKeyNegotiatedTwiceFailsTheLogin() throws Exception {
        OperationalNegotiation n = new OperationalNegotiation(target);
        answer(n, "MaxBurstLength", "262144");
        try {
            answer(n, "MaxBurstLength", "65536");
            fail("a second offer of the same key must fail");
        } catch (NegotiationException expected) {
            assertTrue(expected.getMessage().contains("MaxBurstLength"));
        }
    }

    @Test
    public void firstBurstIsIrrelevantWithInitialR2TAndNoImmediateData() {
        OperationalNegotiation n = new OperationalNegotiation(target);
        n.initialR2T = true;
        n.immediateData = false;
        assertEquals(0, n.result("i", null, "t").firstBurstLength());
    }
}
