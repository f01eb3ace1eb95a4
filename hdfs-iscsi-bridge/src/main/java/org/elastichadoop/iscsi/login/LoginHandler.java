package org.elastichadoop.iscsi.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.pdu.AsyncMessage;
import org.elastichadoop.iscsi.pdu.LoginRequest;
import org.elastichadoop.iscsi.pdu.LoginResponse;
import org.elastichadoop.iscsi.pdu.Opcode;
import org.elastichadoop.iscsi.pdu.Pdu;
import org.elastichadoop.iscsi.scsi.Nexus;
import org.elastichadoop.iscsi.session.AccessPolicy;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.ExportedTarget;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.SessionParameters;
import org.elastichadoop.iscsi.session.SessionRegistry;
import org.elastichadoop.iscsi.session.TargetDirectory;
import org.elastichadoop.iscsi.session.TargetSettings;
import org.elastichadoop.iscsi.wire.DigestSettings;
import org.elastichadoop.iscsi.wire.PduDecoder;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The login phase of one connection (RFC 7143 section 6): security negotiation (AuthMethod,
 * CHAP), operational negotiation, then the hand-over to the full feature phase. Any failure is
 * answered with a Login Response carrying the status, and the connection closes.
 */
public final class LoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(LoginHandler.class);
    private static final int MAX_LOGIN_TEXT = 64 * 1024;

    private final TargetDirectory directory;
    private final SessionRegistry sessions;
    private final TargetSettings settings;
    private final DigestSettings digests;
    private final PduDecoder decoder;
    private final LoggedIn next;
    private final int loginTimeoutSeconds;

    private Connection connection;
    private ScheduledFuture<?> timeout;
    private byte[] isid;
    private int itt;
    private int stage = -1;
    private String initiatorName;
    private String initiatorAlias;
    private boolean discovery;
    private ExportedTarget target;
    private AccessPolicy access;
    private ChapAuthenticator chap;
    private boolean authMethodAgreed;
    private boolean announcedTarget;
    private OperationalNegotiation operational;
    private final ByteArrayOutputStream partialText = new ByteArrayOutputStream();
    private boolean finished;

    public LoginHandler(TargetDirectory directory, SessionRegistry sessions, TargetSettings settings,
                        DigestSettings digests, PduDecoder decoder, LoggedIn next, int loginTimeoutSeconds) {
        this.directory = directory;
        this.sessions = sessions;
        this.settings = settings;
        this.digests = digests;
        this.decoder = decoder;
        this.next = next;
        this.loginTimeoutSeconds = loginTimeoutSeconds;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new Connection(ctx.channel(), settings.commandWindow());
        timeout = ctx.executor().schedule(() -> {
            LOG.warn("Login from {} did not complete within {} s; closing the connection",
                    ctx.channel().remoteAddress(), loginTimeoutSeconds);
            ctx.close();
        }, loginTimeoutSeconds, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timeout != null) timeout.cancel(false);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Pdu pdu = (Pdu) msg;
        try {
            if (finished) return; // a PDU after a failed login: the connection is closing
            if (pdu.opcode() != Opcode.LOGIN_REQUEST) {
                LOG.warn("{} sent a {} before login completed; closing the connection",
                        ctx.channel().remoteAddress(), Opcode.name(pdu.opcode()));
                finished = true;
                ctx.close();
                return;
            }
            LoginRequest request = LoginRequest.parse(pdu);
            byte[] text = new byte[pdu.dataLength()];
            pdu.data().getBytes(pdu.data().readerIndex(), text);
            handle(ctx, request, text);
        } catch (LoginFailure failure) {
            fail(ctx, failure);
        } finally {
            pdu.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, LoginRequest request, byte[] text) throws LoginFailure {
        if (stage < 0) first(ctx, request);
        else if (!Arrays.equals(request.isid(), isid)) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "ISID changed in the middle of a login");
        }
        itt = request.itt();
        if (request.currentStage() != stage) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "login request for stage " + request.currentStage()
                    + " while the login is in stage " + stage);
        }
        if (partialText.size() + text.length > MAX_LOGIN_TEXT) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "login text over " + MAX_LOGIN_TEXT + " bytes");
        }
        partialText.writeBytes(text);
        if (request.continues()) {
            // more text follows: acknowledge this piece with an empty response (RFC 7143 section 6.1.1)
            respond(false, stage, stage, 0, new TextKeys());
            return;
        }
        TextKeys offers;
        try {
            offers = TextKeys.parse(partialText.toByteArray());
        } catch (TextKeys.TextFormatException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "malformed login text: " + e.getMessage());
        }
        partialText.reset();
        LOG.debug("Login stage {} from {}: {}", stage, ctx.channel().remoteAddress(), offers);

        TextKeys answers = new TextKeys();
        if (operational == null) identify(ctx, request, offers, answers);
        if (stage == LoginRequest.SECURITY_NEGOTIATION) security(offers, answers);
        try {
            operational.answer(offers, answers);
        } catch (NegotiationException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }

        boolean transit = request.transit() && mayLeave(stage, request.nextStage());
        int nextStage = transit ? request.nextStage() : stage;
        if (request.transit() && request.nextStage() <= stage) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "transit to stage " + request.nextStage() + " from stage " + stage);
        }
        if (transit && nextStage == LoginRequest.FULL_FEATURE_PHASE) {
            complete(ctx, answers);
            return;
        }
        respond(transit, stage, nextStage, 0, answers);
        if (transit) stage = nextStage;
    }

    private void first(ChannelHandlerContext ctx, LoginRequest request) throws LoginFailure {
        isid = request.isid();
        itt = request.itt();
        stage = request.currentStage();
        connection.start(request.expStatSN(), request.cmdSN());
        if (request.versionMin() > 0) {
            throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION, "initiator needs iSCSI version " + request.versionMin() + " or later");
        }
        if (stage != LoginRequest.SECURITY_NEGOTIATION && stage != LoginRequest.OPERATIONAL_NEGOTIATION) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "first login request in stage " + stage);
        }
        if (request.tsih() != 0) {
            throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST,
                    "adding a connection to session " + request.tsih() + ": this target runs one connection per session");
        }
    }

    /** The first PDU's declarative keys: who is logging in, to what, and whether they may. */
    private void identify(ChannelHandlerContext ctx, LoginRequest request, TextKeys offers, TextKeys answers) throws LoginFailure {
        initiatorName = offers.get("InitiatorName");
        initiatorAlias = offers.get("InitiatorAlias");
        if (initiatorName == null || initiatorName.isEmpty()) {
            throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "login without InitiatorName");
        }
        String type = offers.get("SessionType");
        if (type == null || type.equals("Normal")) {
            discovery = false;
        } else if (type.equals("Discovery")) {
            discovery = true;
        } else {
            throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + type + " is not Normal or Discovery");
        }
        if (discovery) {
            access = directory.discoveryAccess();
        } else {
            String targetName = offers.get("TargetName");
            if (targetName == null || targetName.isEmpty()) {
                throw new LoginFailure(LoginStatus.MISSING_PARAMETER, initiatorName + " asked for a normal session without TargetName");
            }
            target = directory.find(targetName);
            if (target == null) {
                throw new LoginFailure(LoginStatus.NOT_FOUND, initiatorName + " asked for unknown target " + targetName);
            }
            access = target.access();
            if (!access.allows(initiatorName)) {
                throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE,
                        initiatorName + " is not on the allowed-initiators list of " + targetName);
            }
        }
        if (access.requiresChap()) chap = new ChapAuthenticator(access.chap(), access.mutualChap());
        if (stage == LoginRequest.OPERATIONAL_NEGOTIATION && access.requiresChap()) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    initiatorName + " skipped security negotiation, but " + describeTarget() + " requires CHAP");
        }
        operational = new OperationalNegotiation(settings);
        operational.discovery = discovery;
        if (!discovery && !announcedTarget) {
            answers.put("TargetPortalGroupTag", directory.portalGroupTag());
            if (target.alias() != null && !target.alias().isEmpty()) answers.put("TargetAlias", target.alias());
            announcedTarget = true;
        }
    }

    private void security(TextKeys offers, TextKeys answers) throws LoginFailure {
        String methods = offers.get("AuthMethod");
        if (methods != null) {
            List<String> offered = Arrays.asList(methods.split(","));
            if (chap != null) {
                if (!offered.contains("CHAP")) {
                    answers.put("AuthMethod", "Reject");
                    throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                            initiatorName + " offers AuthMethod=" + methods + ", but " + describeTarget() + " requires CHAP");
                }
                answers.put("AuthMethod", "CHAP");
            } else if (offered.contains("None")) {
                answers.put("AuthMethod", "None");
            } else {
                answers.put("AuthMethod", "Reject");
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                        initiatorName + " offers only AuthMethod=" + methods + ", and no CHAP secret is configured for " + describeTarget());
            }
            authMethodAgreed = true;
        }
        if (chap != null) {
            try {
                chap.process(offers, answers);
            } catch (AuthenticationException e) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, initiatorName + ": " + e.getMessage());
            }
        } else if (offers.has("CHAP_A") || offers.has("CHAP_R")) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod=CHAP");
        }
    }

    /** Whether the target lets the login leave {@code from}: security must have been satisfied. */
    private boolean mayLeave(int from, int to) throws LoginFailure {
        if (from != LoginRequest.SECURITY_NEGOTIATION) return true;
        if (chap == null) return true;
        if (chap.done()) return true;
        if (!authMethodAgreed) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE,
                    initiatorName + " tried to leave security negotiation without authenticating to " + describeTarget());
        }
        return false; // CHAP still in progress: stay
    }

    private void complete(ChannelHandlerContext ctx, TextKeys answers) {
        SessionParameters parameters = operational.result(initiatorName, initiatorAlias, discovery ? null : target.name());
        Nexus nexus = new Nexus(initiatorName, LoginRequest.hex(isid),
                discovery ? "discovery" : target.name(), directory.portalGroupTag());
        Connection conn = connection;
        Session session = sessions.register(tsih -> new Session(tsih, nexus, parameters, target,
                ctx.channel().remoteAddress(), () -> ctx.channel().close(),
                () -> ctx.executor().execute(() -> conn.sendAndFlush(
                        new AsyncMessage(AsyncMessage.LOGOUT_REQUESTED, Session.LOGOUT_GRACE_SECONDS)))));
        respond(true, stage, LoginRequest.FULL_FEATURE_PHASE, session.tsih(), answers);
        ctx.flush();
        // digests and the declared segment limit apply from the first PDU after the final response
        digests.enable(parameters.headerDigest(), parameters.dataDigest());
        decoder.maxDataSegment(parameters.targetMaxRecvDataSegmentLength());
        finished = true;
        timeout.cancel(false);
        LOG.info("{} ({}) logged in to {} from {}: TSIH {}, ISID {}, digests header={} data={}, "
                        + "MaxRecvDataSegmentLength in/out {}/{}, bursts {}/{}, InitialR2T={}, ImmediateData={}",
                initiatorName, initiatorAlias == null ? "no alias" : initiatorAlias,
                discovery ? "discovery" : target.name(), ctx.channel().remoteAddress(), session.tsih(), nexus.isid(),
                parameters.headerDigest() ? "CRC32C" : "None", parameters.dataDigest() ? "CRC32C" : "None",
                parameters.targetMaxRecvDataSegmentLength(), parameters.initiatorMaxRecvDataSegmentLength(),
                parameters.firstBurstLength(), parameters.maxBurstLength(), parameters.initialR2T(), parameters.immediateData());
        next.enterFullFeaturePhase(ctx, session, connection);
    }

    private void respond(boolean transit, int current, int nextStage, int tsih, TextKeys answers) {
        ByteBuf data = answers.isEmpty() ? Unpooled.EMPTY_BUFFER : answers.toByteBuf();
        connection.send(new LoginResponse(transit, false, current, nextStage, isid, tsih, itt,
                LoginStatus.SUCCESS.statusClass, LoginStatus.SUCCESS.detail, data));
        connection.channel().flush();
    }

    private void fail(ChannelHandlerContext ctx, LoginFailure failure) {
        finished = true;
        LOG.warn("Login refused for {} from {}: {} (status {}/{})", initiatorName == null ? "an initiator" : initiatorName,
                ctx.channel().remoteAddress(), failure.getMessage(), failure.status.statusClass, failure.status.detail);
        byte[] id = isid == null ? new byte[6] : isid;
        connection.send(new LoginResponse(false, false, Math.max(stage, 0), 0, id, 0, itt,
                failure.status.statusClass, failure.status.detail, Unpooled.EMPTY_BUFFER));
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private String describeTarget() {
        return discovery ? "discovery" : "target " + target.name();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("Closing login connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.close();
    }
}
