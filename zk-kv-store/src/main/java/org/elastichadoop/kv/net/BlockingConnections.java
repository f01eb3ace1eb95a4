package org.elastichadoop.kv.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.elastichadoop.kv.wire.Frames;
import org.elastichadoop.kv.wire.MalformedFrameException;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.MessageDecoder;
import org.elastichadoop.kv.wire.MessageEncoder;
import org.elastichadoop.kv.wire.Response;

/**
 * One plain socket per node, one request at a time, answered before {@link #send} returns: no event loop or
 * buffer pool to start, which is most of what a single request costs a short-lived command. A connection that
 * times out or carries anything but the awaited answer is closed, so a late answer never meets a later request.
 */
public final class BlockingConnections implements Connections {
    private final int connectTimeoutMillis;
    private final Map<InetSocketAddress, Socket> sockets = new HashMap<>();
    private long nextId = 1;

    public BlockingConnections(int connectTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public synchronized CompletableFuture<Response> send(InetSocketAddress node, LongFunction<Message> request, long timeoutMillis) {
        long id = nextId++;
        try {
            Socket s = socket(node);
            s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
            write(s.getOutputStream(), request.apply(id));
            Message answer = read(s.getInputStream(), node);
            if (!(answer instanceof Response r) || r.requestId() != id) {
                throw new IOException(node + " answered request " + id + " with " + answer);
            }
            return CompletableFuture.completedFuture(r);
        } catch (SocketTimeoutException e) {
            forget(node);
            return CompletableFuture.failedFuture(new TimeoutException("no answer from " + node + " within " + timeoutMillis + " ms"));
        } catch (IOException | MalformedFrameException | RuntimeException e) {
            forget(node);
            return CompletableFuture.failedFuture(e instanceof IOException ? e : new IOException(node + ": " + e.getMessage(), e));
        }
    }

    private Socket socket(InetSocketAddress node) throws IOException {
        Socket s = sockets.get(node);
        if (s == null) {
            s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(node, connectTimeoutMillis);
            } catch (IOException e) {
                s.close();
                throw new IOException("cannot connect to " + node + ": " + e.getMessage(), e);
            }
            sockets.put(node, s);
        }
        return s;
    }

    private static void write(OutputStream out, Message message) throws IOException {
        ByteBuf frame = Unpooled.buffer(4 + Frames.HEADER_BYTES + message.bodySizeHint());
        try {
            MessageEncoder.encodeTo(message, frame);
            frame.readBytes(out, frame.readableBytes());
            out.flush();
        } finally {
            frame.release();
        }
    }

    private static Message read(InputStream in, InetSocketAddress node) throws IOException, MalformedFrameException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < Frames.HEADER_BYTES || length > Frames.DEFAULT_MAX_FRAME_BYTES) {
            throw new MalformedFrameException("frame of " + length + " bytes from " + node);
        }
        byte[] frame = new byte[length];
        data.readFully(frame);
        return MessageDecoder.decodeFrame(Unpooled.wrappedBuffer(frame));
    }

    @Override
    public synchronized void forget(InetSocketAddress node) {
        Socket s = sockets.remove(node);
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        }
    }

    @Override
    public synchronized void close() {
        for (InetSocketAddress a : sockets.keySet().toArray(new InetSocketAddress[0])) {
            forget(a);
        }
    }
}
