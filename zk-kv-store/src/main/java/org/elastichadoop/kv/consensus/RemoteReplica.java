package org.elastichadoop.kv.consensus;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import org.elastichadoop.kv.cluster.NodeInfo;
import org.elastichadoop.kv.net.PeerClient;
import org.elastichadoop.kv.wire.Response;

/** Another node, reached over the node protocol; requests carry the ring epoch they were planned under. */
public record RemoteReplica(NodeInfo node, PeerClient peers, long epoch) implements Replica {

    @Override
    public String id() {
        return node.id();
    }

    @Override
    public CompletableFuture<Response> accept(byte[] key, long ballot, int valueCrc, ByteBuf value) {
        return peers.accept(node.address(), key, ballot, epoch, valueCrc, value);
    }

    @Override
    public CompletableFuture<Response> prepare(byte[] key, long ballot) {
        return peers.prepare(node.address(), key, ballot, epoch);
    }

    @Override
    public CompletableFuture<Response> commit(byte[] key, long ballot, int valueCrc, int valueLength, boolean durable) {
        return peers.commit(node.address(), key, ballot, epoch, valueCrc, valueLength, durable);
    }

    @Override
    public CompletableFuture<Response> read(byte[] key) {
        return peers.get(node.address(), key, epoch);
    }

    @Override
    public CompletableFuture<Response> store(byte[] key, int valueCrc, ByteBuf value) {
        return peers.put(node.address(), false, key, valueCrc, value);
    }

    @Override
    public CompletableFuture<Response> delete(byte[] key) {
        return peers.delete(node.address(), false, key);
    }
}
