package org.elastichadoop.iscsi.fullfeature;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.pdu.LogoutRequest;
import org.elastichadoop.iscsi.pdu.LogoutResponse;
import org.elastichadoop.iscsi.pdu.NopIn;
import org.elastichadoop.iscsi.pdu.NopOutRequest;
import org.elastichadoop.iscsi.pdu.Opcode;
import org.elastichadoop.iscsi.pdu.Pdu;
import org.elastichadoop.iscsi.pdu.ProtocolException;
import org.elastichadoop.iscsi.pdu.RejectPdu;
import org.elastichadoop.iscsi.pdu.RejectReason;
import org.elastichadoop.iscsi.pdu.TaskManagementRequest;
import org.elastichadoop.iscsi.pdu.TextRequest;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.SessionRegistry;
import org.elastichadoop.iscsi.session.TargetDirectory;
import org.elastichadoop.iscsi.session.TargetSettings;
import org.elastichadoop.iscsi.wire.DataDigestException;

import java.util.concurrent.TimeUnit;

/**
 * The full feature phase of one connection: routes each PDU to the part that handles it (SCSI
 * commands and their data, task management, text, NOP, logout), enforces the command window, and
 * answers what breaks the protocol with a Reject or, where nothing after it can be trusted, by
 * closing this connection only.
 */
public final class FullFeatureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);

    private final Session session;
    private final Connection connection;
    private final SessionRegistry sessions;
    private final TargetSettings settings;
    private final ScsiCommands commands;
    private final TaskManagement taskManagement;
    private final SendTargets sendTargets;
    private long lastHeard = System.nanoTime();
    /** When the unanswered ping went out; 0 when none is outstanding. */
    private long pingSent;
    private int nextPingTag = 1;
    private boolean loggingOut;

    public FullFeatureHandler(Session session, Connection connection, SessionRegistry sessions,
                              TargetDirectory directory, TargetSettings settings) {
        this.session = session;
        this.connection = connection;
        this.sessions = sessions;
        this.settings = settings;
        this.commands = new ScsiCommands(session, connection);
        this.taskManagement = new TaskManagement(session, connection, commands);
        this.sendTargets = new SendTargets(session, connection, directory);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        int interval = settings.nopIntervalSeconds();
        if (interval > 0) {
            long check = Math.max(100, Math.min(interval, settings.nopTimeoutSeconds()) * 1000L / 2);
            ctx.executor().scheduleWithFixedDelay(() -> pingIfIdle(ctx), check, check, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Pdu pdu = (Pdu) msg;
        lastHeard = System.nanoTime();
        try {
            dispatch(ctx, pdu);
        } catch (ProtocolException e) {
            LOG.warn("Rejecting a {} from {} (session {}): {}", Opcode.name(pdu.opcode()), session.nexus().initiatorName(),
                    session.tsih(), e.getMessage());
            connection.send(new RejectPdu(e.reason(), pdu.headerCopy()));
        } finally {
            pdu.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Pdu pdu) throws ProtocolException {
        if (loggingOut) return;
        int opcode = pdu.opcode();
        if (opcode == Opcode.DATA_OUT) {
            commands.dataOut(pdu);
            return;
        }
        if (opcode == Opcode.SNACK_REQUEST) {
            throw new ProtocolException(RejectReason.SNACK_REJECT, "SNACK at ErrorRecoveryLevel 0");
        }
        if (!isInitiatorCommand(opcode)) {
            throw new ProtocolException(RejectReason.COMMAND_NOT_SUPPORTED, "unknown opcode 0x" + Integer.toHexString(opcode));
        }
        if (!connection.admit(pdu.cmdSN(), pdu.immediate())) {
            LOG.debug("Ignoring {} with CmdSN {} outside the window [{}, {}]", Opcode.name(opcode),
                    Integer.toUnsignedString(pdu.cmdSN()), Integer.toUnsignedString(connection.expCmdSN()),
                    Integer.toUnsignedString(connection.maxCmdSN()));
            return;
        }
        switch (opcode) {
            case Opcode.SCSI_COMMAND -> {
                if (session.discovery()) {
                    throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "SCSI command in a discovery session");
                }
                commands.command(pdu);
            }
            case Opcode.NOP_OUT -> nopOut(pdu);
            case Opcode.TASK_MANAGEMENT_REQUEST -> {
                if (session.discovery()) {
                    throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "task management in a discovery session");
                }
                taskManagement.handle(TaskManagementRequest.parse(pdu));
            }
            case Opcode.TEXT_REQUEST -> sendTargets.handle(TextRequest.parse(pdu), pdu.data());
            case Opcode.LOGOUT_REQUEST -> logout(ctx, LogoutRequest.parse(pdu));
            case Opcode.LOGIN_REQUEST -> throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "Login Request in the full feature phase");
            default -> throw new ProtocolException(RejectReason.COMMAND_NOT_SUPPORTED, "unexpected " + Opcode.name(opcode));
        }
    }

    private static boolean isInitiatorCommand(int opcode) {
        return opcode <= Opcode.LOGOUT_REQUEST;
    }

    private void nopOut(Pdu pdu) throws ProtocolException {
        NopOutRequest nop = NopOutRequest.parse(pdu);
        if (nop.wantsReply()) {
            if (nop.ttt() != NopOutRequest.RESERVED_TAG) {
                throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "NOP-Out with both ITT and TTT set");
            }
            connection.send(NopIn.reply(nop.lun(), nop.itt(), pdu.data().retain()));
        }
        // an answer to the target's own ping needs nothing more: lastHeard has been updated
    }

    private void logout(ChannelHandlerContext ctx, LogoutRequest request) {
        if (request.reason() == LogoutRequest.REMOVE_CONNECTION_FOR_RECOVERY) {
            connection.sendAndFlush(new LogoutResponse(request.itt(), LogoutResponse.RECOVERY_NOT_SUPPORTED));
            return;
        }
        loggingOut = true;
        LOG.info("{} logged out of {} (session {})", session.nexus().initiatorName(), describe(), session.tsih());
        // outstanding commands finish first (RFC 7143 section 11.14): their responses precede the logout's
        commands.whenAllFinished(() -> {
            connection.send(new LogoutResponse(request.itt(), LogoutResponse.CLOSED));
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
        });
    }

    /** Pings an initiator silent for nopInterval; closes its connection when nothing comes back within nopTimeout. */
    private void pingIfIdle(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) return;
        long now = System.nanoTime();
        if (pingSent != 0) {
            if (lastHeard - pingSent >= 0) {
                pingSent = 0; // something came back: the initiator is alive
            } else if (now - pingSent > TimeUnit.SECONDS.toNanos(settings.nopTimeoutSeconds())) {
                LOG.warn("{} (session {}) did not answer a NOP-In ping within {} s; closing its connection",
                        session.nexus().initiatorName(), session.tsih(), settings.nopTimeoutSeconds());
                ctx.close();
                return;
            } else {
                return;
            }
        }
        if (now - lastHeard < TimeUnit.SECONDS.toNanos(settings.nopIntervalSeconds())) return;
        int tag = nextPingTag++;
        if (nextPingTag == 0xffffffff) nextPingTag = 1;
        pingSent = now;
        connection.sendAndFlush(NopIn.ping(tag));
    }

    /**
     * Stops reading new PDUs while responses pile up unsent (an initiator that does not read), so
     * buffered output stays bounded by the write buffer high water mark plus the commands in flight.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        commands.connectionLost();
        sessions.remove(session);
        if (session.target() != null) session.target().scsi().nexusLost(session.nexus());
        if (!loggingOut) {
            LOG.info("Connection of {} to {} closed (session {})", session.nexus().initiatorName(), describe(), session.tsih());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof DataDigestException digest) {
            LOG.warn("Data digest error from {} (session {}): {}; rejecting the PDU and closing the connection",
                    session.nexus().initiatorName(), session.tsih(), digest.getMessage());
            connection.send(new RejectPdu(RejectReason.DATA_DIGEST_ERROR, digest.headerCopy()));
            ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (root instanceof java.io.IOException) {
            LOG.info("Connection of {} (session {}) failed: {}", session.nexus().initiatorName(), session.tsih(), root.getMessage());
        } else {
            LOG.warn("Closing the connection of {} (session {}): {}", session.nexus().initiatorName(), session.tsih(),
                    root.toString());
        }
        ctx.close();
    }

    private String describe() {
        return session.discovery() ? "discovery" : session.target().name();
    }
}
