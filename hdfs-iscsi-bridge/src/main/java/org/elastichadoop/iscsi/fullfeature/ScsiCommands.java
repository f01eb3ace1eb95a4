package org.elastichadoop.iscsi.fullfeature;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.iscsi.pdu.DataIn;
import org.elastichadoop.iscsi.pdu.DataOutRequest;
import org.elastichadoop.iscsi.pdu.Pdu;
import org.elastichadoop.iscsi.pdu.ProtocolException;
import org.elastichadoop.iscsi.pdu.ReadyToTransfer;
import org.elastichadoop.iscsi.pdu.RejectReason;
import org.elastichadoop.iscsi.pdu.Residual;
import org.elastichadoop.iscsi.pdu.ScsiCommandRequest;
import org.elastichadoop.iscsi.pdu.ScsiResponse;
import org.elastichadoop.iscsi.scsi.ScsiCommand;
import org.elastichadoop.iscsi.scsi.ScsiResult;
import org.elastichadoop.iscsi.session.Connection;
import org.elastichadoop.iscsi.session.Session;
import org.elastichadoop.iscsi.session.SessionParameters;
import org.elastichadoop.iscsi.volume.FileSpan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * SCSI commands on one connection: gathers write data (immediate, unsolicited, and solicited by
 * R2T), hands each complete command to the target's logical unit, and returns the outcome as
 * Data-In PDUs (the last carrying the status when it is GOOD) or a SCSI Response.
 */
final class ScsiCommands {
    private static final Logger LOG = LogManager.getLogger(ScsiCommands.class);
    /** The largest transfer per command; the block limits page advertises no more. */
    static final int MAX_TRANSFER = 256 * 1024 * 1024;
    /**
     * Write data this connection solicits at once. A command whose data would go over it waits for
     * its R2Ts until earlier writes finish, so memory per connection stays bounded; a single command
     * larger than the budget still runs, alone.
     */
    static final long SOLICIT_BUDGET = 64L * 1024 * 1024;
    private static final int RESERVED_TAG = 0xffffffff;

    private final Session session;
    private final Connection connection;
    private final SessionParameters parameters;
    private final EventLoop loop;
    private final Map<Integer, ScsiTask> tasks = new HashMap<>();
    private int nextTtt = 1;
    private boolean closed;
    private long reserved;
    private final ArrayDeque<ScsiTask> waitingForBudget = new ArrayDeque<>();

    ScsiCommands(Session session, Connection connection) {
        this.session = session;
        this.connection = connection;
        this.parameters = session.parameters();
        this.loop = connection.channel().eventLoop();
    }

    void command(Pdu pdu) throws ProtocolException {
        ScsiCommandRequest request = ScsiCommandRequest.parse(pdu);
        if (tasks.containsKey(request.itt())) {
            throw new ProtocolException(RejectReason.TASK_IN_PROGRESS, "ITT 0x" + Integer.toHexString(request.itt()) + " is already in use");
        }
        session.commands.increment();
        ScsiTask task = new ScsiTask(request, pdu.lun(), Luns.decode(pdu.lun()));
        tasks.put(request.itt(), task);
        connection.taskStarted();
        int immediate = pdu.dataLength();
        long expected = Integer.toUnsignedLong(request.expectedLength());
        if (!request.write()) {
            if (immediate > 0) {
                end(task);
                throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "data with a command that is not a write");
            }
            execute(task, Unpooled.EMPTY_BUFFER);
            return;
        }
        if (immediate > 0 && !parameters.immediateData()) {
            end(task);
            throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "immediate data although ImmediateData=No");
        }
        if (immediate > parameters.firstBurstLength() || immediate > expected) {
            end(task);
            throw new ProtocolException(RejectReason.PROTOCOL_ERROR, "immediate data of " + immediate
                    + " bytes is over FirstBurstLength or the expected data transfer length");
        }
        if (expected > MAX_TRANSFER) {
            // refuse before buffering: answer at once, the initiator stops sending
            finishWithSense(task, TransportSense.fixed(TransportSense.ILLEGAL_REQUEST, 0x24, 0x00));
            return;
        }
        task.data = pdu.data().alloc().compositeBuffer(Math.max(16, (int) (expected / 4096) + 2));
        if (immediate > 0) task.append(pdu.data().retainedSlice());
        task.unsolicitedLimit = (int) Math.min(parameters.firstBurstLength(), expected);
        task.unsolicitedOpen = !request.finalBit() && !parameters.initialR2T() && task.received < task.unsolicitedLimit;
        task.nextR2tOffset = task.unsolicitedOpen ? task.unsolicitedLimit : task.received;
        if (task.allDataReceived()) {
            execute(task, takeData(task));
        } else if (!task.unsolicitedOpen) {
            startSoliciting(task);
        }
    }

    void dataOut(Pdu pdu) {
        DataOutRequest data = DataOutRequest.parse(pdu);
        ScsiTask task = tasks.get(data.itt());
        if (task == null || task.state != ScsiTask.State.COLLECTING_DATA || task.aborted) {
            // data for a command that was refused, aborted or never admitted: dropped
            LOG.debug("Dropping Data-Out for unknown ITT 0x{}", Integer.toHexString(data.itt()));
            return;
        }
        String fault = accept(task, data, pdu);
        if (fault != null) {
            // At ErrorRecoveryLevel 0 the command cannot be recovered; it ends with CHECK CONDITION and
            // the connection stays up. Later Data-Out for it is dropped as unknown.
            LOG.warn("Failing command 0x{} of {} (session {}): {}", Integer.toHexString(task.itt()),
                    session.nexus().initiatorName(), session.tsih(), fault);
            task.discardData();
            finishWithSense(task, TransportSense.fixed(TransportSense.ABORTED_COMMAND, 0x4b, 0x00));
            return;
        }
        if (task.allDataReceived()) {
            execute(task, takeData(task));
        } else if (!task.unsolicitedOpen) {
            startSoliciting(task);
        }
    }

    /** Adds a Data-Out PDU's payload to its task; returns what is wrong with it, or null. */
    private String accept(ScsiTask task, DataOutRequest data, Pdu pdu) {
        int length = pdu.dataLength();
        if (data.bufferOffset() != task.received) {
            return "Data-Out at offset " + Integer.toUnsignedString(data.bufferOffset()) + " but " + task.received
                    + " bytes were received (DataPDUInOrder=Yes)";
        }
        if (data.ttt() == RESERVED_TAG) {
            if (!task.unsolicitedOpen) return "unsolicited Data-Out that was not announced";
            if (data.dataSN() != task.unsolicitedDataSN) {
                return "unsolicited Data-Out with DataSN " + Integer.toUnsignedString(data.dataSN()) + ", expected " + task.unsolicitedDataSN;
            }
            if (task.received + length > task.unsolicitedLimit) return "unsolicited data beyond FirstBurstLength " + task.unsolicitedLimit;
            task.unsolicitedDataSN++;
            task.append(pdu.data().retainedSlice());
            if (data.finalBit() || task.received == task.unsolicitedLimit) {
                // an initiator may send less than the first burst; the rest is solicited
                task.nextR2tOffset = task.received;
                task.unsolicitedOpen = false;
            }
            return null;
        }
        ScsiTask.Burst burst = task.bursts.get(data.ttt());
        if (burst == null) return "Data-Out with unknown TTT 0x" + Integer.toHexString(data.ttt());
        if (data.dataSN() != burst.nextDataSN) {
            return "Data-Out with DataSN " + Integer.toUnsignedString(data.dataSN()) + ", expected " + burst.nextDataSN;
        }
        if (burst.received + length > burst.length) return "Data-Out beyond the R2T's burst";
        burst.nextDataSN++;
        task.append(pdu.data().retainedSlice());
        burst.received += length;
        if (burst.received == burst.length) {
            task.bursts.remove(data.ttt());
        } else if (data.finalBit()) {
            return "burst ended after " + burst.received + " of " + burst.length + " bytes";
        }
        return null;
    }

    /** Solicits a task's missing data once it fits in the connection's budget; until then it waits its turn. */
    private void startSoliciting(ScsiTask task) {
        if (task.reserved > 0) {
            solicit(task);
            return;
        }
        long need = Integer.toUnsignedLong(task.expectedLength()) - task.received;
        if (reserved > 0 && (reserved + need > SOLICIT_BUDGET || !waitingForBudget.isEmpty())) {
            waitingForBudget.add(task);
            return;
        }
        task.reserved = need;
        reserved += need;
        solicit(task);
    }

    private void releaseBudget(ScsiTask task) {
        if (task.reserved == 0) return;
        reserved -= task.reserved;
        task.reserved = 0;
        while (!waitingForBudget.isEmpty()) {
            ScsiTask next = waitingForBudget.peek();
            if (next.ended || next.aborted) {
                waitingForBudget.poll();
                continue;
            }
            long need = Integer.toUnsignedLong(next.expectedLength()) - next.received;
            if (reserved > 0 && reserved + need > SOLICIT_BUDGET) break;
            waitingForBudget.poll();
            next.reserved = need;
            reserved += need;
            solicit(next);
        }
    }

    /** Sends R2Ts for the data still missing, keeping at most MaxOutstandingR2T in flight. */
    private void solicit(ScsiTask task) {
        int expected = task.expectedLength();
        while (task.bursts.size() < parameters.maxOutstandingR2T() && Integer.compareUnsigned(task.nextR2tOffset, expected) < 0) {
            int length = Math.min(parameters.maxBurstLength(), expected - task.nextR2tOffset);
            int ttt = nextTtt++;
            if (nextTtt == RESERVED_TAG) nextTtt = 1;
            task.bursts.put(ttt, new ScsiTask.Burst(task.nextR2tOffset, length));
            connection.send(new ReadyToTransfer(task.lunField, task.itt(), ttt, task.r2tSN++, task.nextR2tOffset, length));
            task.nextR2tOffset += length;
        }
    }

    private static ByteBuf takeData(ScsiTask task) {
        ByteBuf data = task.data;
        task.data = null;
        return data;
    }

    private void execute(ScsiTask task, ByteBuf dataOut) {
        task.state = ScsiTask.State.EXECUTING;
        ScsiCommandRequest r = task.request;
        ScsiCommand command = new ScsiCommand(session.nexus(), task.lun, r.cdb(), dataOut, r.expectedLength(),
                attribute(r.attribute()), Integer.toUnsignedLong(r.itt()), !parameters.dataDigest());
        if (r.write()) session.bytesWritten.add(dataOut.readableBytes());
        CompletableFuture<ScsiResult> outcome;
        try {
            outcome = session.target().scsi().execute(command);
        } catch (RuntimeException e) {
            LOG.error("SCSI layer failed on opcode 0x{}", Integer.toHexString(r.cdb()[0] & 0xff), e);
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((result, error) -> {
            if (loop.inEventLoop()) {
                complete(task, result, error);
            } else {
                loop.execute(() -> complete(task, result, error));
            }
        });
    }

    private static ScsiCommand.TaskAttribute attribute(int code) {
        return switch (code) {
            case 0 -> ScsiCommand.TaskAttribute.UNTAGGED;
            case 2 -> ScsiCommand.TaskAttribute.ORDERED;
            case 3 -> ScsiCommand.TaskAttribute.HEAD_OF_QUEUE;
            case 4 -> ScsiCommand.TaskAttribute.ACA;
            default -> ScsiCommand.TaskAttribute.SIMPLE;
        };
    }

    private void complete(ScsiTask task, ScsiResult result, Throwable error) {
        end(task);
        if (task.aborted || closed) {
            if (result != null) result.dataIn().release();
            return;
        }
        if (error != null) {
            LOG.error("SCSI command 0x{} failed in the SCSI layer", Integer.toHexString(task.request.cdb()[0] & 0xff), error);
            connection.send(new ScsiResponse(task.itt(), ScsiResponse.TARGET_FAILURE, 0, null, Residual.NONE, 0));
            connection.channel().flush();
            return;
        }
        respond(task, result);
        connection.channel().flush();
    }

    private void respond(ScsiTask task, ScsiResult result) {
        long expected = Integer.toUnsignedLong(task.expectedLength());
        Residual residual = Residual.of(expected, result.spdtl());
        ByteBuf dataIn = result.dataIn();
        int dataInCount = 0;
        FileSpan file = result.dataInFile();
        if (file != null && task.request.read() && expected > 0) {
            int length = (int) Math.min(file.length(), expected);
            sendDataIn(task, null, file, length, true, result.status(), residual);
            session.bytesRead.add(length);
            dataIn.release();
            return;
        }
        if (task.request.read() && dataIn.isReadable() && expected > 0) {
            int length = (int) Math.min(dataIn.readableBytes(), expected);
            boolean collapse = result.status() == ScsiResult.GOOD && result.sense() == null;
            dataInCount = sendDataIn(task, dataIn, null, length, collapse, result.status(), residual);
            session.bytesRead.add(length);
            if (collapse) {
                dataIn.release();
                return;
            }
        }
        dataIn.release();
        int expDataSN = task.request.write() ? task.r2tSN : dataInCount;
        connection.send(new ScsiResponse(task.itt(), ScsiResponse.COMMAND_COMPLETED, result.status(), result.sense(),
                residual, expDataSN));
    }

    /**
     * Splits {@code length} bytes into Data-In PDUs no larger than the initiator's
     * MaxRecvDataSegmentLength, closing a sequence (F bit) every MaxBurstLength bytes.
     */
    private int sendDataIn(ScsiTask task, ByteBuf dataIn, FileSpan file, int length, boolean withStatus, int status,
                           Residual residual) {
        int segment = parameters.initiatorMaxRecvDataSegmentLength();
        int burst = parameters.maxBurstLength();
        int offset = 0;
        int dataSN = 0;
        int inBurst = 0;
        int base = dataIn == null ? 0 : dataIn.readerIndex();
        while (offset < length) {
            int size = Math.min(Math.min(segment, length - offset), burst - inBurst);
            boolean last = offset + size == length;
            inBurst += size;
            boolean endOfSequence = last || inBurst == burst;
            if (inBurst == burst) inBurst = 0;
            ByteBuf bytes = dataIn == null ? Unpooled.EMPTY_BUFFER : dataIn.retainedSlice(base + offset, size);
            FileRegion region = file == null ? null : new VolumeFileRegion(file.channel(), file.position() + offset, size);
            connection.send(new DataIn(endOfSequence, last && withStatus, status, residual, task.lunField, task.itt(),
                    dataSN++, offset, bytes, region));
            offset += size;
        }
        return dataSN;
    }

    private void finishWithSense(ScsiTask task, byte[] sense) {
        end(task);
        connection.send(new ScsiResponse(task.itt(), ScsiResponse.COMMAND_COMPLETED, ScsiResult.CHECK_CONDITION, sense,
                Residual.NONE, 0));
    }

    /** Aborts the tasks matching {@code which}; the future completes once none of them is executing. */
    CompletableFuture<Void> abort(Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ScsiTask task : new ArrayList<>(tasks.values())) {
            if (!which.test(task)) continue;
            task.aborted = true;
            if (task.state == ScsiTask.State.COLLECTING_DATA) {
                task.discardData();
                end(task);
            } else {
                running.add(task.finished);
            }
        }
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
    }

    /** The task is over: it leaves the table and gives its command window credit back. */
    private void end(ScsiTask task) {
        if (task.ended) return;
        task.ended = true;
        tasks.remove(task.itt(), task);
        connection.taskEnded();
        releaseBudget(task);
        task.finished.complete(null);
    }

    ScsiTask find(int itt) {
        return tasks.get(itt);
    }

    /** Runs {@code then} on the event loop once every command in flight has finished. */
    void whenAllFinished(Runnable then) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (ScsiTask task : tasks.values()) {
            if (task.state == ScsiTask.State.EXECUTING) running.add(task.finished);
            else {
                task.aborted = true;
                task.discardData();
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> loop.execute(then));
    }

    void connectionLost() {
        closed = true;
        for (ScsiTask task : tasks.values()) {
            task.aborted = true;
            task.discardData();
        }
    }
}
