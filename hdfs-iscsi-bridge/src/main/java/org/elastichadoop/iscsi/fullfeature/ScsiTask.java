package org.elastichadoop.iscsi.fullfeature;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import org.elastichadoop.iscsi.pdu.ScsiCommandRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One SCSI command on a connection, from its SCSI Command PDU until its status is sent: the write
 * data gathered so far, the R2Ts outstanding, and the Data-In numbering.
 */
final class ScsiTask {
    enum State { COLLECTING_DATA, EXECUTING }

    final ScsiCommandRequest request;
    final long lunField;
    final int lun;
    State state = State.COLLECTING_DATA;
    boolean aborted;
    boolean ended;
    /** Completes when the command's execution has finished (whatever its outcome). */
    final CompletableFuture<Void> finished = new CompletableFuture<>();

    // write data
    CompositeByteBuf data;
    int received;
    boolean unsolicitedOpen;
    int unsolicitedLimit;
    int unsolicitedDataSN;
    int nextR2tOffset;
    /** Bytes of this task's data counted against the connection's solicit budget. */
    long reserved;
    int r2tSN;
    final Map<Integer, Burst> bursts = new HashMap<>();

    ScsiTask(ScsiCommandRequest request, long lunField, int lun) {
        this.request = request;
        this.lunField = lunField;
        this.lun = lun;
    }

    int itt() {
        return request.itt();
    }

    int expectedLength() {
        return request.expectedLength();
    }

    boolean allDataReceived() {
        return received == request.expectedLength();
    }

    void append(ByteBuf part) {
        data.addComponent(true, part);
        received += part.readableBytes();
    }

    /** Frees buffered write data (abort, connection loss). */
    void discardData() {
        if (data != null && data.refCnt() > 0) data.release();
        data = null;
    }

    /** One R2T's solicited burst. */
    static final class Burst {
        final int offset;
        final int length;
        int nextDataSN;
        int received;

        Burst(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }
    }
}
