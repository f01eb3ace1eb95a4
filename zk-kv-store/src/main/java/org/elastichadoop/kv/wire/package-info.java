/**
 * The node protocol: one record per {@link Message} type ({@link PutRequest}, {@link KeyRequest},
 * {@link BallotRequest}, {@link MetaRequest}, {@link StatsRequest}, {@link Response}), each decoding and encoding its
 * own body, and the payloads of answers ({@link GetPayload}, {@link RangePayload}, {@link MetaPayload},
 * {@link ReplicaState}).
 * {@link MessageDecoder} and {@link MessageEncoder} carry them on the Netty pipelines that {@link Frames} sets up;
 * {@link Op} and {@link Status} are the request types and outcomes.
 *
 * <p>Uses no other package of ours, only Netty; every package that talks to a node uses it.
 */
package org.elastichadoop.kv.wire;
