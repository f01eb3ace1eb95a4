package org.elastichadoop.kv.wire;

import io.netty.buffer.ByteBuf;

/**
 * PREPARE (promise to refuse lower ballots) or COMMIT (the value accepted in this ballot was chosen) of one key.
 * Body: key (u16 length + bytes), long ballot, long ring epoch of the coordinator, int CRC32C and int length of the
 * value (0 for PREPARE).
 */
public record BallotRequest(Op op, long requestId, byte flags, byte[] key, long ballot, long epoch, int valueCrc, int valueLength)
        implements Message {

    public BallotRequest {
        if (op != Op.PREPARE && op != Op.COMMIT) {
            throw new IllegalArgumentException("BallotRequest carries PREPARE or COMMIT, not " + op);
        }
    }

    public static BallotRequest decode(Op op, long requestId, byte flags, ByteBuf body) throws MalformedFrameException {
        byte[] key = Frames.readKey(body);
        Frames.need(body, 24, "ballot, ring epoch, CRC and length");
        long ballot = body.readLong();
        long epoch = body.readLong();
        int crc = body.readInt();
        int length = body.readInt();
        Frames.expectEnd(body, op);
        return new BallotRequest(op, requestId, flags, key, ballot, epoch, crc, length);
    }

    @Override
    public void encodeBody(ByteBuf out) {
        Frames.writeKey(out, key);
        out.writeLong(ballot);
        out.writeLong(epoch);
        out.writeInt(valueCrc);
        out.writeInt(valueLength);
    }
}
