/**
 * The Netty codec of iSCSI connections: {@link PduDecoder} frames the byte stream into
 * {@link org.elastichadoop.iscsi.pdu.Pdu}s (header, additional header segments, header digest, data, padding, data
 * digest) and {@link PduEncoder} writes an {@link OutboundPdu} (a target PDU with the sequence numbers stamped on it),
 * handing its data buffer on without copying. {@link DigestSettings} are a connection's negotiated digests,
 * {@link Digests} computes them (CRC32C), and a {@link FramingException} means the stream cannot be framed any more.
 *
 * <p>Uses only {@code iscsi.pdu}; the session, login, full feature and bridge packages use it.
 */
package org.elastichadoop.iscsi.wire;
