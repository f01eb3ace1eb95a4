package org.elastichadoop.iscsi.wire;

import org.elastichadoop.iscsi.pdu.TargetPdu;

/** A target PDU with the sequence numbers the connection stamped on it at send time. */
public record OutboundPdu(TargetPdu pdu, int statSN, int expCmdSN, int maxCmdSN) {}
