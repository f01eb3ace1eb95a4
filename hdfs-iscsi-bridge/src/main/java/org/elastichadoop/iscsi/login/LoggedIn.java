package org.elastichadoop.iscsi.login;

import io.netty.channel.ChannelHandlerContext;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.Session;

/** What the login phase hands to the full feature phase once the final login response is sent. */
@FunctionalInterface
public interface LoggedIn {
    void enterFullFeaturePhase(ChannelHandlerContext ctx, Session session, Connection connection);
}
