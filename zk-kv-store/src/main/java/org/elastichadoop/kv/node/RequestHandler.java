package org.elastichadoop.kv.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elastichadoop.kv.metrics.LatencyRecorder;
import org.elastichadoop.kv.metrics.NodeMetrics;
import org.elastichadoop.kv.wire.BallotRequest;
import org.elastichadoop.kv.wire.Flags;
import org.elastichadoop.kv.wire.KeyRequest;
import org.elastichadoop.kv.wire.Message;
import org.elastichadoop.kv.wire.MetaPayload;
import org.elastichadoop.kv.wire.MetaRequest;
import org.elastichadoop.kv.wire.Op;
import org.elastichadoop.kv.wire.PutRequest;
import org.elastichadoop.kv.wire.Response;
import org.elastichadoop.kv.wire.StatsRequest;
import org.elastichadoop.kv.wire.Status;

/** Serves the node protocol: each request to the coordinator or the local store, each answer back. */
@ChannelHandler.Sharable
final class RequestHandler extends SimpleChannelInboundHandler<Message> {
    private static final Logger LOG = LogManager.getLogger(RequestHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStore local;
    private final Acceptor acceptor;
    private final Coordinator coordinator;
    private final NodeMetrics metrics;
    private final Supplier<Map<String, Object>> stats;

    RequestHandler(LocalStore local, Acceptor acceptor, Coordinator coordinator, NodeMetrics metrics,
                   Supplier<Map<String, Object>> stats) {
        this.local = local;
        this.acceptor = acceptor;
        this.coordinator = coordinator;
        this.metrics = metrics;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) throws Exception {
        long start = System.nanoTime();
        if (msg instanceof PutRequest p && p.op() == Op.ACCEPT) {
            CompletableFuture<Response> answer;
            try {
                Response stale = acceptor.staleRing(Op.ACCEPT, p.epoch());
                answer = stale != null ? CompletableFuture.completedFuture(stale)
                        : acceptor.accept(p.key(), p.ballot(), p.valueCrc(), p.value());
            } finally {
                p.release(); // the store has copied the value
            }
            reply(ctx, answer, p.requestId(), null, start);
        } else if (msg instanceof PutRequest p) {
            metrics.puts.increment();
            metrics.putBytes.add(p.valueLength());
            CompletableFuture<Response> answer;
            try {
                answer = p.coordinate()
                        ? coordinator.put(p.requestId(), p.key(), p.valueCrc(), p.value())
                        : acceptor.store(p.key(), p.valueCrc(), p.value());
            } finally {
                // the store and the proposer have copied the value
                p.release();
            }
            reply(ctx, answer, p.requestId(), p.coordinate() ? metrics.putLatency : null, start);
        } else if (msg instanceof BallotRequest b) {
            Response stale = b.op() == Op.PREPARE ? acceptor.staleRing(Op.PREPARE, b.epoch()) : null;
            CompletableFuture<Response> answer = stale != null ? CompletableFuture.completedFuture(stale)
                    : b.op() == Op.PREPARE ? acceptor.prepare(b.key(), b.ballot())
                    : acceptor.commit(b.key(), b.ballot(), b.valueCrc(), b.valueLength(), (b.flags() & Flags.DURABLE) != 0);
            reply(ctx, answer, b.requestId(), null, start);
        } else if (msg instanceof KeyRequest k && k.op() == Op.GET) {
            metrics.gets.increment();
            Response stale = k.coordinate() ? null : acceptor.staleRing(Op.GET, k.epoch());
            CompletableFuture<Response> answer = stale != null ? CompletableFuture.completedFuture(stale)
                    : k.ranged() ? coordinator.getRange(k.requestId(), k.key(), k.offset(), k.length())
                    : k.coordinate() ? coordinator.get(k.requestId(), k.key()) : acceptor.read(k.key());
            answer = answer.whenComplete((r, e) -> {
                if (r != null && r.status() == Status.OK) {
                    metrics.getBytes.add(r.payload().length);
                }
            });
            reply(ctx, answer, k.requestId(), metrics.getLatency, start);
        } else if (msg instanceof KeyRequest k) {
            metrics.deletes.increment();
            CompletableFuture<Response> answer = k.coordinate() ? coordinator.delete(k.requestId(), k.key()) : acceptor.delete(k.key());
            reply(ctx, answer, k.requestId(), null, start);
        } else if (msg instanceof MetaRequest m) {
            ctx.writeAndFlush(Response.ok(Op.META, m.requestId(), MetaPayload.encode(local.states(m.keys()))));
        } else if (msg instanceof StatsRequest s) {
            ctx.writeAndFlush(Response.ok(Op.STATS, s.requestId(), JSON.writeValueAsBytes(stats.get())));
        } else {
            badInput(ctx, "a response where a request belongs");
        }
    }

    private void reply(ChannelHandlerContext ctx, CompletableFuture<Response> answer, long requestId, LatencyRecorder latency,
                       long start) {
        answer.thenApply(r -> r.withId(requestId)).whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("Request failed inside the node: {}", e.toString());
                ctx.close();
                return;
            }
            if (r.status() != Status.OK && r.status() != Status.NOT_FOUND && r.status() != Status.REFUSED
                    && r.status() != Status.PROVISIONAL && r.status() != Status.STALE_RING) {
                metrics.failedRequests.increment();
            } else if (latency != null) {
                latency.recordNanos(System.nanoTime() - start);
            }
            ctx.writeAndFlush(r);
        });
    }

    private void badInput(ChannelHandlerContext ctx, String what) {
        metrics.badFrames.increment();
        LOG.warn("Closing the connection from {}: it sent {}. Other connections are not affected; "
                + "check that the client speaks this protocol version.", ctx.channel().remoteAddress(), what);
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            badInput(ctx, "a malformed frame (" + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage()) + ")");
        } else if (cause instanceof IOException) {
            LOG.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            LOG.error("Unexpected error on the connection from {}; closing it", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
