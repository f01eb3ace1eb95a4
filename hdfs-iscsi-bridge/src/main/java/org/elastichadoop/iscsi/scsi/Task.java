package org.elastichadoop.iscsi.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A command being executed: the transport's {@link ScsiCommand} plus the unit it runs on and
 * the transfer length the command has declared so far (SPC's SPDTL).
 */
public final class Task {

    private final ScsiCommand command;
    private final BlockDevice device;
    private long transferLength;

    Task(ScsiCommand command, BlockDevice device) {
        this.command = command;
        this.device = device;
    }

    public byte[] cdb() { return command.cdb(); }
    public Nexus nexus() { return command.nexus(); }
    public BlockDevice device() { return device; }
    public ScsiCommand command() { return command; }

    /** SPDTL: what the CDB asks to move, in bytes; reported even if the command then fails. */
    public long transferLength() {
        return transferLength;
    }

    public void declareTransfer(long bytes) {
        this.transferLength = bytes;
    }

    public ByteBuf allocate(int capacity) {
        return device.allocator().buffer(capacity, capacity);
    }

    /**
     * The first {@code bytes} of the data-out buffer for a command whose CDB asks for that many.
     * Less data than that (EDTL shorter than the CDB's length) fails with INVALID FIELD IN
     * COMMAND INFORMATION UNIT before anything is written; extra data is ignored.
     */
    public ByteBuf dataOut(long bytes) throws ScsiException {
        declareTransfer(bytes);
        ByteBuf out = command.dataOut() == null ? Unpooled.EMPTY_BUFFER : command.dataOut();
        if (command.expectedLength() < bytes || out.readableBytes() < bytes) {
            throw ScsiException.illegal(Asc.INVALID_FIELD_IN_COMMAND_IU);
        }
        return out.slice(out.readerIndex(), (int) bytes);
    }

    /**
     * The data of a WRITE or WRITE AND VERIFY whose CDB asks for {@code bytes}. When the
     * initiator sent less (EDTL shorter than the CDB's length) but still whole blocks, the command
     * goes ahead with only those blocks (FCP-4's "process the command normally, transferring no
     * more than EDTL"): libiscsi 1.19.0's residual tests require GOOD for EDTL of 0 and of one
     * block against a two-block CDB, and newer versions accept it. A partial block cannot be
     * written and fails with INVALID FIELD IN COMMAND INFORMATION UNIT, writing nothing. SPDTL
     * stays the CDB's length, so the transport reports the overflow residual either way.
     */
    public ByteBuf writeData(long bytes, int blockSize) throws ScsiException {
        declareTransfer(bytes);
        ByteBuf out = command.dataOut() == null ? Unpooled.EMPTY_BUFFER : command.dataOut();
        long available = Math.min(Math.max(0, command.expectedLength()), out.readableBytes());
        if (available >= bytes) {
            return out.slice(out.readerIndex(), (int) bytes);
        }
        if (available % blockSize != 0) {
            throw ScsiException.illegal(Asc.INVALID_FIELD_IN_COMMAND_IU);
        }
        return out.slice(out.readerIndex(), (int) available);
    }

    /**
     * A parameter list of {@code length} bytes (MODE SELECT, UNMAP, PERSISTENT RESERVE OUT...).
     * Returns the bytes actually received, at most {@code length}.
     */
    public byte[] parameterList(int length) {
        declareTransfer(length);
        ByteBuf out = command.dataOut() == null ? Unpooled.EMPTY_BUFFER : command.dataOut();
        int n = Math.min(length, Math.min(out.readableBytes(), Math.max(0, command.expectedLength())));
        byte[] b = new byte[n];
        out.getBytes(out.readerIndex(), b);
        return b;
    }

    /** GOOD with {@code data} cut to the allocation length; SPDTL is what is returned. */
    public ScsiResult dataIn(byte[] data, long allocationLength) {
        int n = (int) Math.min(data.length, allocationLength);
        if (n == 0) {
            return ScsiResult.good();
        }
        ByteBuf buf = allocate(n);
        buf.writeBytes(data, 0, n);
        return new ScsiResult(ScsiResult.GOOD, null, buf, n);
    }
}
