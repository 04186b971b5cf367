package dev.ippool.apiserver.storage.etcd;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's KV service on one gRPC channel per event loop of the application's Vert.x, for the calls on a request's
 * path (the conditional writes and the key reads).
 *
 * <p>Why not jetcd for these: jetcd starts each call on its own executor thread (its retry policy runs there),
 * and its channel lives on one event loop of a second Vert.x, from where the answer went back to the request's
 * loop. On a virtual machine with 2 cores a thread wake-up costs more than the etcd round trip's own CPU: at one
 * create in flight the service's threads woke 5.8 times per create through jetcd, 3.7 times here (the README's
 * Performance section has the measurement). Here a call made on an event loop uses that loop's
 * channel: the request is written, and its answer read and handed on, by the same thread, with no hand-over at
 * all. A call from any other thread (a worker's PUT or PATCH, a blocking caller) goes to a channel on a loop of
 * its own, as jetcd's calls did: under a watch fan-out the application's loops are busy writing frames, and an
 * answer that only hops on to a worker must not queue behind them.
 *
 * <p>jetcd keeps everything else (watches, lists, compaction), and a call refused here as unavailable is made
 * again through jetcd, whose retries ride out an etcd restart or a channel's reconnect back-off.
 */
final class LoopChannels implements AutoCloseable {

    private record Lane(EventExecutor loop, ManagedChannel channel, KVGrpc.KVStub stub) {
    }

    private final List<Lane> lanes;
    /** For callers on no event loop of the application. */
    private final Lane offLoop;
    private final EventLoopGroup offLoopGroup;
    private final long deadlineMillis;

    private LoopChannels(List<Lane> lanes, Lane offLoop, EventLoopGroup offLoopGroup, long deadlineMillis) {
        this.lanes = lanes;
        this.offLoop = offLoop;
        this.offLoopGroup = offLoopGroup;
        this.deadlineMillis = deadlineMillis;
    }

    /**
     * Channels on {@code vertx}'s event loops to the one plain-text endpoint, or none where that does not apply:
     * several endpoints (jetcd balances them and fails over) or Vert.x on a native transport (the channel type
     * must match the loop's).
     *
     * @param deadlineMillis gRPC's own deadline on a call, which frees the call's stream; callers put theirs on
     *                       the returned futures
     */
    // Vert.x 4 deprecates nettyEventLoopGroup() for Vert.x 5, which moves it to its internal API; jetcd 0.8.5 pins
    // this service to Vert.x 4 (see the README's stack), and the loops themselves are what this class is about
    @SuppressWarnings("deprecation")
    static Optional<LoopChannels> open(Vertx vertx, List<String> endpoints, int maxInboundBytes, long deadlineMillis) {
        if (vertx == null || vertx.isNativeTransportEnabled() || endpoints.size() != 1) {
            return Optional.empty();
        }
        URI uri = URI.create(endpoints.get(0));
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            return Optional.empty();
        }
        List<Lane> lanes = new ArrayList<>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            lanes.add(lane(uri, (EventLoop) loop, maxInboundBytes));
        }
        EventLoopGroup own = new NioEventLoopGroup(1, new DefaultThreadFactory("etcd-calls", true));
        return Optional.of(new LoopChannels(List.copyOf(lanes), lane(uri, own.next(), maxInboundBytes), own,
                deadlineMillis));
    }

    /** The classes of a lane and of its calls, initialised without a channel (see {@link EtcdStore#preload}). */
    static void preload() {
        NettyChannelBuilder.forAddress("127.0.0.1", 2379).channelType(NioSocketChannel.class).usePlaintext()
                .directExecutor();
        KVGrpc.getServiceDescriptor();
        ByteString key = ByteString.copyFromUtf8("/preload");
        ByteString request = create(key, key).toByteString();
        try {
            // the answers are parsed, as gRPC's marshaller does with what etcd sends
            TxnResponse.parseFrom(TxnResponse.newBuilder().setSucceeded(true).build().toByteString());
            RangeResponse.parseFrom(RangeResponse.newBuilder().setCount(1).build().toByteString());
            TxnRequest.parseFrom(request);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Lane lane(URI uri, EventLoop loop, int maxInboundBytes) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .usePlaintext()
                // the answer is handed on by the loop that read it: the point of the whole class
                .directExecutor()
                .maxInboundMessageSize(maxInboundBytes)
                // gRPC wraps every call of a channel with retries on in a RetriableStream (buffering, its own
                // draining), for the one retry it could make here: a call refused before etcd saw it. Without it
                // such a call fails UNAVAILABLE and KvCalls makes it again through jetcd, as after any refusal.
                .disableRetry()
                .build();
        return new Lane(loop, channel, KVGrpc.newStub(channel));
    }

    CompletableFuture<TxnResponse> txn(TxnRequest request) {
        Answer<TxnResponse> answer = new Answer<>();
        stub().txn(request, answer);
        return answer.future;
    }

    CompletableFuture<RangeResponse> range(RangeRequest request) {
        Answer<RangeResponse> answer = new Answer<>();
        stub().range(request, answer);
        return answer.future;
    }

    private KVGrpc.KVStub stub() {
        Lane lane = null;
        for (Lane candidate : lanes) {
            if (candidate.loop().inEventLoop()) {
                lane = candidate;
                break;
            }
        }
        if (lane == null) {
            lane = offLoop;
        }
        return lane.stub().withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    /** Whether {@link #close} ran. */
    boolean closed() {
        return offLoop.channel().isShutdown();
    }

    @Override
    public void close() {
        lanes.forEach(lane -> lane.channel().shutdownNow());
        offLoop.channel().shutdownNow();
        offLoopGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A transaction that puts {@code value} if {@code key} does not exist, and else reads it. */
    static TxnRequest create(ByteString key, ByteString value) {
        Compare absent = Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0).build();
        return txn(absent, RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value))
                .build(), key);
    }

    /** A transaction that puts {@code value} if {@code key} is at {@code modRevision}, and else reads it. */
    static TxnRequest update(ByteString key, ByteString value, long modRevision) {
        return txn(at(key, modRevision), RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)).build(), key);
    }

    /** A transaction that deletes {@code key} if it is at {@code modRevision}, and else reads it. */
    static TxnRequest delete(ByteString key, long modRevision) {
        return txn(at(key, modRevision), RequestOp.newBuilder()
                .setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build(), key);
    }

    /** A linearizable read of one key, its value left out when {@code keysOnly}. */
    static RangeRequest get(ByteString key, boolean keysOnly) {
        return RangeRequest.newBuilder().setKey(key).setKeysOnly(keysOnly).build();
    }

    private static Compare at(ByteString key, long modRevision) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.EQUAL).setModRevision(modRevision).build();
    }

    private static TxnRequest txn(Compare compare, RequestOp then, ByteString key) {
        return TxnRequest.newBuilder().addCompare(compare).addSuccess(then)
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
                .build();
    }

    /** A unary call's one answer or error, as a future. */
    private static final class Answer<T> implements StreamObserver<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();

        @Override
        public void onNext(T value) {
            future.complete(value);
        }

        @Override
        public void onError(Throwable error) {
            future.completeExceptionally(error);
        }

        @Override
        public void onCompleted() {
            // a unary call's answer came in onNext
        }
    }
}
