/**
 * The login phase of a connection (RFC 7143 section 6). {@link LoginHandler} runs it: the stages and their transitions,
 * security negotiation with {@code ChapAuthenticator} (MD5 CHAP, one-way or mutual), operational negotiation with
 * {@code OperationalNegotiation} (every section 13 key with its result function), then the hand-over to the full
 * feature phase ({@link LoggedIn}). {@link TextKeys} reads and writes the key=value text of Login and Text PDUs.
 *
 * <p>Uses {@code iscsi.session}, {@code iscsi.pdu}, {@code iscsi.wire} and {@code iscsi.scsi} (the nexus of a new
 * session); {@code iscsi.bridge} installs it and {@code iscsi.fullfeature} uses {@code TextKeys}. It never uses the
 * full feature phase or the bridge.
 */
package org.elastichadoop.iscsi.login;
