package org.elastichadoop.iscsi.session;

/**
 * What this target offers in login negotiation, and how it paces sessions. Values are the
 * target's side of each RFC 7143 key; the negotiated result also depends on the initiator.
 *
 * @param maxRecvDataSegmentLength  the largest data segment the target accepts in one PDU
 * @param maxBurstLength            the largest Data-In sequence or solicited Data-Out burst
 * @param firstBurstLength          the most unsolicited data per command
 * @param initialR2T                Yes: no unsolicited Data-Out PDUs (immediate data still allowed)
 * @param immediateData             whether data may ride in the SCSI Command PDU
 * @param maxOutstandingR2T         R2Ts in flight per command
 * @param headerDigest              accept CRC32C header digests when the initiator asks
 * @param dataDigest                accept CRC32C data digests when the initiator asks
 * @param commandWindow             commands an initiator may have in flight (MaxCmdSN - ExpCmdSN + 1)
 * @param nopIntervalSeconds        ping an initiator that was silent this long (0: never)
 * @param nopTimeoutSeconds         close its connection when the ping is not answered within this
 */
public record TargetSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                             boolean initialR2T, boolean immediateData, int maxOutstandingR2T,
                             boolean headerDigest, boolean dataDigest, int commandWindow,
                             int nopIntervalSeconds, int nopTimeoutSeconds) {

    public static TargetSettings defaults() {
        return new TargetSettings(262_144, 1_048_576, 262_144, false, true, 16, true, true, 128, 30, 15);
    }
}
