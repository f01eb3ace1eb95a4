package org.elastichadoop.iscsi.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A small iSCSI initiator for tests that need to put exact bytes on the wire (the fuzzer): logs in
 * without authentication and digests, then runs TEST UNIT READY, WRITE(10) with immediate data and
 * READ(10) one at a time. Independent of the target's code on purpose.
 */
final class TestInitiator implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int itt = 1;
    private int cmdSN;
    private int expStatSN;

    private TestInitiator(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static TestInitiator connect(int port, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        s.setTcpNoDelay(true);
        return new TestInitiator(s);
    }

    Socket socket() {
        return socket;
    }

    /** The login request of a normal session, going straight from security negotiation to full feature. */
    static byte[] loginPdu(String initiator, String target, byte[] isid, int cmdSN) {
        String text = "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0AuthMethod=None\0"
                + "HeaderDigest=None\0DataDigest=None\0ImmediateData=Yes\0InitialR2T=No\0MaxRecvDataSegmentLength=65536\0"
                + "FirstBurstLength=65536\0MaxBurstLength=262144\0";
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) 0x43);
        h.put(1, (byte) (0x80 | 0x03)); // T, CSG 0, NSG 3
        h.putInt(4, data.length);
        h.put(8, isid);
        h.putInt(16, 0);
        h.putInt(24, cmdSN);
        return concat(h.array(), pad(data));
    }

    void login(String initiator, String target) throws IOException {
        byte[] isid = {(byte) 0x80, 0x12, 0x34, 0x56, 0, (byte) (System.nanoTime() & 0x7f)};
        out.write(loginPdu(initiator, target, isid, cmdSN));
        Pdu response = read();
        if (response.opcode() != 0x23) throw new IOException("expected a Login Response, got opcode " + response.opcode());
        int status = (response.header[36] & 0xff) << 8 | response.header[37] & 0xff;
        if (status != 0) throw new IOException("login refused with status 0x" + Integer.toHexString(status));
        if ((response.header[1] & 0x83) != 0x83) {
            throw new IOException("target did not move to the full feature phase: " + new String(response.data, StandardCharsets.UTF_8));
        }
        expStatSN = ByteBuffer.wrap(response.header).getInt(24) + 1;
    }

    int nextItt() {
        return itt++;
    }

    int nextCmdSN() {
        return cmdSN++;
    }

    /** The CmdSN the next command will carry (immediate PDUs carry it without using it up). */
    int cmdSNNow() {
        return cmdSN;
    }

    int expStatSN() {
        return expStatSN;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] commandPdu(int itt, boolean read, boolean write, int expected, byte[] cdb, byte[] immediate) {
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) 0x01);
        h.put(1, (byte) (0x80 | (read ? 0x40 : 0) | (write ? 0x20 : 0) | 1));
        h.putInt(4, immediate.length);
        h.putInt(16, itt);
        h.putInt(20, expected);
        h.putInt(24, nextCmdSN());
        h.putInt(28, expStatSN);
        h.position(32);
        h.put(cdb);
        return concat(h.array(), pad(immediate));
    }

    /** Status of TEST UNIT READY. */
    int testUnitReady() throws IOException {
        int t = nextItt();
        send(commandPdu(t, false, false, 0, new byte[6], new byte[0]));
        return awaitStatus(t, null);
    }

    int write10(long lba, byte[] data) throws IOException {
        byte[] cdb = cdb10(0x2a, lba, data.length / 512);
        int t = nextItt();
        send(commandPdu(t, false, true, data.length, cdb, data));
        return awaitStatus(t, null);
    }

    byte[] read10(long lba, int blocks) throws IOException {
        byte[] cdb = cdb10(0x28, lba, blocks);
        int t = nextItt();
        send(commandPdu(t, true, false, blocks * 512, cdb, new byte[0]));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int status = awaitStatus(t, data);
        if (status != 0) throw new IOException("READ(10) ended with status " + status);
        return data.toByteArray();
    }

    private static byte[] cdb10(int opcode, long lba, int blocks) {
        ByteBuffer cdb = ByteBuffer.allocate(16);
        cdb.put(0, (byte) opcode);
        cdb.putInt(2, (int) lba);
        cdb.putShort(7, (short) blocks);
        return cdb.array();
    }

    /** Reads PDUs until the status for {@code itt} arrives, answering the target's NOP-In pings. */
    private int awaitStatus(int itt, ByteArrayOutputStream dataIn) throws IOException {
        while (true) {
            Pdu p = read();
            ByteBuffer h = ByteBuffer.wrap(p.header);
            if (p.opcode() == 0x20 && h.getInt(20) != 0xffffffff) {
                // NOP-In ping: answer with a NOP-Out echoing the TTT
                ByteBuffer nop = ByteBuffer.allocate(48);
                nop.put(0, (byte) 0x40);
                nop.put(1, (byte) 0x80);
                nop.putInt(16, 0xffffffff);
                nop.putInt(20, h.getInt(20));
                nop.putInt(24, cmdSN);
                nop.putInt(28, expStatSN);
                send(nop.array());
                continue;
            }
            if (h.getInt(16) != itt) continue;
            if (p.opcode() == 0x25) {
                if (dataIn != null) dataIn.write(p.data);
                if ((p.header[1] & 0x01) != 0) {
                    expStatSN = h.getInt(24) + 1;
                    return p.header[3] & 0xff;
                }
            } else if (p.opcode() == 0x21) {
                expStatSN = h.getInt(24) + 1;
                return p.header[3] & 0xff;
            } else {
                throw new IOException("unexpected opcode 0x" + Integer.toHexString(p.opcode()) + " for ITT " + itt);
            }
        }
    }

    record Pdu(byte[] header, byte[] data) {
        int opcode() {
            return header[0] & 0x3f;
        }
    }

    Pdu read() throws IOException {
        byte[] header = new byte[48];
        in.readFully(header);
        int ahs = (header[4] & 0xff) * 4;
        int length = ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
        in.skipNBytes(ahs);
        byte[] data = new byte[length];
        in.readFully(data);
        in.skipNBytes((4 - (length & 3)) & 3);
        return new Pdu(header, data);
    }

    static byte[] pad(byte[] data) {
        int padded = (data.length + 3) & ~3;
        if (padded == data.length) return data;
        byte[] out = new byte[padded];
        System.arraycopy(data, 0, out, 0, data.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
