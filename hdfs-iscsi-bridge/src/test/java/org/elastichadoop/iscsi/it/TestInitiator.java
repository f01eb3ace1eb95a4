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
    private boolean digests;

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
        return loginPdu(initiator, target, isid, cmdSN, "None");
    }

    static byte[] loginPdu(String initiator, String target, byte[] isid, int cmdSN, String digest) {
        String text = "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0AuthMethod=None\0"
                + "HeaderDigest=" + digest + "\0DataDigest=" + digest + "\0ImmediateData=Yes\0InitialR2T=No\0"
                + "MaxRecvDataSegmentLength=65536\0FirstBurstLength=65536\0MaxBurstLength=262144\0";
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
        login(initiator, target, false);
    }

    /** Logs in; with {@code crc32c} both digests are asked for, and used from then on. */
    void login(String initiator, String target, boolean crc32c) throws IOException {
        byte[] isid = {(byte) 0x80, 0x12, 0x34, 0x56, 0, (byte) (System.nanoTime() & 0x7f)};
        out.write(loginPdu(initiator, target, isid, cmdSN, crc32c ? "CRC32C" : "None"));
        Pdu response = read();
        if (response.opcode() != 0x23) throw new IOException("expected a Login Response, got opcode " + response.opcode());
        int status = (response.header[36] & 0xff) << 8 | response.header[37] & 0xff;
        if (status != 0) throw new IOException("login refused with status 0x" + Integer.toHexString(status));
        if ((response.header[1] & 0x83) != 0x83) {
            throw new IOException("target did not move to the full feature phase: " + new String(response.data, StandardCharsets.UTF_8));
        }
        expStatSN = ByteBuffer.wrap(response.header).getInt(24) + 1;
        String answer = new String(response.data, StandardCharsets.UTF_8);
        if (crc32c && !(answer.contains("HeaderDigest=CRC32C") && answer.contains("DataDigest=CRC32C"))) {
            throw new IOException("target did not agree to CRC32C digests: " + answer);
        }
        digests = crc32c;
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

    /** Sends one PDU as built (header + padded data); adds the digests when they were negotiated. */
    void send(byte[] pdu) throws IOException {
        out.write(digests ? withDigests(pdu, false) : pdu);
        out.flush();
    }

    /** The same PDU with CRC32C header and data digests; {@code corruptData} sends a wrong data digest. */
    static byte[] withDigests(byte[] pdu, boolean corruptData) {
        int length = ((pdu[5] & 0xff) << 16) | ((pdu[6] & 0xff) << 8) | (pdu[7] & 0xff);
        ByteBuffer b = ByteBuffer.allocate(pdu.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(pdu, 0, 48);
        b.putInt(crc(pdu, 0, 48));
        b.put(pdu, 48, pdu.length - 48);
        if (length > 0) b.putInt(crc(pdu, 48, pdu.length - 48) ^ (corruptData ? 1 : 0));
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    static int crc(byte[] b, int offset, int length) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, offset, length);
        return (int) c.getValue();
    }

    /** Writes bytes exactly as given, digests or not. */
    void sendRaw(byte[] bytes) throws IOException {
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

    /** Sends a task management request and returns the target's response code. */
    int taskManagement(int function, int referencedItt) throws IOException {
        int t = nextItt();
        ByteBuffer h = ByteBuffer.allocate(48);
        h.put(0, (byte) 0x42); // immediate
        h.put(1, (byte) (0x80 | function));
        h.putInt(16, t);
        h.putInt(20, referencedItt);
        h.putInt(24, cmdSN);
        h.putInt(28, expStatSN);
        h.putInt(32, cmdSN);
        send(h.array());
        while (true) {
            Pdu p = read();
            if (p.opcode() == 0x22 && ByteBuffer.wrap(p.header).getInt(16) == t) return p.header[2] & 0xff;
        }
    }

    /** Status of SYNCHRONIZE CACHE (10) for the whole LUN. */
    int synchronizeCache() throws IOException {
        int t = nextItt();
        byte[] cdb = new byte[16];
        cdb[0] = 0x35;
        send(commandPdu(t, false, false, 0, cdb, new byte[0]));
        return awaitStatus(t, null);
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

    /** Stays idle for {@code millis}, answering the target's NOP-In pings; returns how many it answered. */
    int answerPingsFor(long millis) throws IOException {
        int answered = 0;
        long end = System.currentTimeMillis() + millis;
        int timeout = socket.getSoTimeout();
        try {
            while (System.currentTimeMillis() < end) {
                socket.setSoTimeout((int) Math.max(1, end - System.currentTimeMillis()));
                Pdu p;
                try {
                    p = read();
                } catch (java.net.SocketTimeoutException idle) {
                    break;
                }
                ByteBuffer h = ByteBuffer.wrap(p.header);
                if (p.opcode() == 0x20 && h.getInt(20) != 0xffffffff) {
                    answerPing(h.getInt(20));
                    answered++;
                }
            }
        } finally {
            socket.setSoTimeout(timeout);
        }
        return answered;
    }

    private void answerPing(int ttt) throws IOException {
        ByteBuffer nop = ByteBuffer.allocate(48);
        nop.put(0, (byte) 0x40);
        nop.put(1, (byte) 0x80);
        nop.putInt(16, 0xffffffff);
        nop.putInt(20, ttt);
        nop.putInt(24, cmdSN);
        nop.putInt(28, expStatSN);
        send(nop.array());
    }

    /** Reads PDUs until the status for {@code itt} arrives, answering the target's NOP-In pings. */
    private int awaitStatus(int itt, ByteArrayOutputStream dataIn) throws IOException {
        while (true) {
            Pdu p = read();
            ByteBuffer h = ByteBuffer.wrap(p.header);
            if (p.opcode() == 0x20 && h.getInt(20) != 0xffffffff) {
                answerPing(h.getInt(20)); // NOP-In ping: a NOP-Out echoing the TTT
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
        if (digests && Integer.reverseBytes(in.readInt()) != crc(header, 0, 48)) throw new IOException("header digest mismatch");
        int padded = length + ((4 - (length & 3)) & 3);
        byte[] data = new byte[padded];
        in.readFully(data);
        if (digests && length > 0 && Integer.reverseBytes(in.readInt()) != crc(data, 0, padded)) {
            throw new IOException("data digest mismatch");
        }
        return new Pdu(header, java.util.Arrays.copyOf(data, length));
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
