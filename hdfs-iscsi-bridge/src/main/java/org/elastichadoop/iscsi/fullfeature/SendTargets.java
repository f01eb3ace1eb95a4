package org.elastichadoop.iscsi.fullfeature;

import io.netty.buffer.ByteBuf;
import org.elastichadoop.iscsi.login.TextKeys;
import org.elastichadoop.iscsi.pdu.ProtocolException;
import org.elastichadoop.iscsi.pdu.RejectReason;
import org.elastichadoop.iscsi.pdu.TextRequest;
import org.elastichadoop.iscsi.pdu.TextResponse;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.ExportedTarget;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.TargetDirectory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Text requests in the full feature phase: SendTargets (RFC 7143 section 12.3 and appendix C) lists
 * the targets this initiator may log in to, with their addresses. Other keys are answered
 * NotUnderstood; a value SendTargets cannot use is answered Reject.
 */
final class SendTargets {
    private final Session session;
    private final Connection connection;
    private final TargetDirectory directory;

    SendTargets(Session session, Connection connection, TargetDirectory directory) {
        this.session = session;
        this.connection = connection;
        this.directory = directory;
    }

    void handle(TextRequest request, ByteBuf data) throws ProtocolException {
        if (request.continues() || !request.finalBit()) {
            throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "multi-PDU text requests are not supported");
        }
        byte[] text = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), text);
        TextKeys keys;
        try {
            keys = TextKeys.parse(text);
        } catch (TextKeys.TextFormatException e) {
            throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "malformed text: " + e.getMessage());
        }
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        for (var e : keys.asMap().entrySet()) {
            if (!e.getKey().equals("SendTargets")) {
                append(answer, e.getKey() + "=NotUnderstood");
                continue;
            }
            List<ExportedTarget> listed = select(e.getValue());
            if (listed == null) {
                append(answer, "SendTargets=Reject");
                continue;
            }
            String address = directory.advertisedAddress((InetSocketAddress) connection.channel().localAddress());
            for (ExportedTarget target : listed) {
                append(answer, "TargetName=" + target.name());
                append(answer, "TargetAddress=" + address + "," + directory.portalGroupTag());
            }
        }
        ByteBuf out = connection.channel().alloc().buffer(answer.size());
        out.writeBytes(answer.toByteArray());
        connection.send(new TextResponse(true, false, request.lun(), request.itt(), 0xffffffff, out));
    }

    /** The targets a SendTargets value names, or null when the value is not one SendTargets takes. */
    private List<ExportedTarget> select(String value) {
        String initiator = session.nexus().initiatorName();
        if (value.equals("All")) {
            return directory.all().stream().filter(t -> t.access().allows(initiator)).toList();
        }
        if (value.isEmpty()) {
            return session.target() == null ? null : List.of(session.target());
        }
        ExportedTarget named = directory.find(value);
        if (named == null || !named.access().allows(initiator)) return null;
        return List.of(named);
    }

    private static void append(ByteArrayOutputStream out, String pair) {
        out.writeBytes(pair.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
