package org.elastichadoop.iscsi.session;

/**
 * The result of login negotiation for one session/connection (RFC 7143 section 13).
 *
 * @param initiatorMaxRecvDataSegmentLength  limit on every data segment this target sends
 * @param targetMaxRecvDataSegmentLength     limit on every data segment this target receives
 */
public record SessionParameters(boolean discovery, String initiatorName, String initiatorAlias, String targetName,
                                boolean headerDigest, boolean dataDigest,
                                int initiatorMaxRecvDataSegmentLength, int targetMaxRecvDataSegmentLength,
                                int maxBurstLength, int firstBurstLength, boolean initialR2T,
                                boolean immediateData, int maxOutstandingR2T, int errorRecoveryLevel,
                                int maxConnections, int defaultTime2Wait, int defaultTime2Retain) {
}
