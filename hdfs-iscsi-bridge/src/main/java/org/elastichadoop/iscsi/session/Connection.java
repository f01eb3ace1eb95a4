package org.elastichadoop.iscsi.session;

import io.netty.channel.Channel;
import org.elastichadoop.iscsi.pdu.TargetPdu;
import org.elastichadoop.iscsi.wire.OutboundPdu;

/**
 * The sending side of one connection and its sequence numbers: StatSN for responses, and the
 * command window (ExpCmdSN, MaxCmdSN) every target PDU advertises. Used only on the channel's
 * event loop, so it needs no locks.
 */
public final class Connection {
    private final Channel channel;
    private final int window;
    private int statSN;
    private int expCmdSN;
    private int maxCmdSN;
    private int pending;

    public Connection(Channel channel, int window) {
        this.channel = channel;
        this.window = window;
    }

    public Channel channel() {
        return channel;
    }

    /** Starts the numbering at the first login request. */
    public void start(int initialStatSN, int cmdSN) {
        this.statSN = initialStatSN;
        this.expCmdSN = cmdSN;
        this.maxCmdSN = cmdSN + window - 1;
    }

    public int expCmdSN() {
        return expCmdSN;
    }

    /**
     * The window's upper edge. Commands still running use up credit, so an initiator never has more
     * than the window in flight; the edge never moves back, since initiators ignore a smaller MaxCmdSN.
     */
    public int maxCmdSN() {
        int edge = expCmdSN + window - 1 - pending;
        if (serialLess(maxCmdSN, edge)) maxCmdSN = edge;
        return maxCmdSN;
    }

    /** A command was admitted and holds credit until {@link #taskEnded()}. */
    public void taskStarted() {
        pending++;
    }

    public void taskEnded() {
        pending--;
    }

    /**
     * Whether a command may run, by its CmdSN: immediate commands always; others only inside the
     * window [ExpCmdSN, MaxCmdSN], which then moves past them (RFC 7143 section 4.2.2.1). A command
     * outside it must be ignored silently.
     */
    public boolean admit(int cmdSN, boolean immediate) {
        if (immediate) return true;
        if (serialLess(cmdSN, expCmdSN) || serialLess(maxCmdSN(), cmdSN)) return false;
        expCmdSN = cmdSN + 1;
        return true;
    }

    /** RFC 1982 serial number comparison on 32 bits. */
    static boolean serialLess(int a, int b) {
        return a != b && (a - b) < 0;
    }

    /** Stamps and queues a PDU (no flush). */
    public void send(TargetPdu pdu) {
        int stat = statSN;
        if (pdu.statSn() == TargetPdu.StatSn.ADVANCE) statSN++;
        channel.write(new OutboundPdu(pdu, stat, expCmdSN, maxCmdSN()), channel.voidPromise());
    }

    public void sendAndFlush(TargetPdu pdu) {
        send(pdu);
        channel.flush();
    }
}
