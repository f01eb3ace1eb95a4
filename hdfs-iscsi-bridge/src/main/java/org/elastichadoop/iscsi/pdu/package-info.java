/**
 * The PDUs of RFC 7143. {@link Pdu} is one received PDU as the wire codec framed it (basic header, additional header
 * segments, data), and each initiator PDU has a record that parses it ({@link ScsiCommandRequest},
 * {@link DataOutRequest}, {@link LoginRequest}, {@link TextRequest}, {@link NopOutRequest},
 * {@link TaskManagementRequest}, {@link LogoutRequest}); each target PDU is a {@link TargetPdu} record that fills its
 * own header fields ({@link DataIn}, {@link ReadyToTransfer}, {@link ScsiResponse}, {@link LoginResponse},
 * {@link RejectPdu} and the rest). {@link ProtocolException} says how a PDU that breaks the protocol is answered.
 *
 * <p>Uses no other package of ours, only Netty; every transport package above it (wire, session, login, fullfeature)
 * uses it.
 */
package org.elastichadoop.iscsi.pdu;
