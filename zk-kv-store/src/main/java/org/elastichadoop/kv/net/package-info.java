/**
 * How requests reach nodes. {@link Connections} is either a {@link ConnectionPool} of Netty connections, each a
 * {@link NodeConnection} carrying many requests at once, for a long-lived process, or {@link BlockingConnections}, one
 * plain socket per node and one request at a time, for a command that makes a request or two. {@link PeerClient} is the
 * node protocol with one method per request; {@link Transport} picks epoll or NIO.
 *
 * <p>Uses only {@code kv.wire}; the client, consensus and node packages use it.
 */
package org.elastichadoop.kv.net;
