package dev.ippool.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * B1–B3's yardstick: what any HTTP front of etcd reaches on this machine with this load generator. A bare
 * Vert.x server, in its own JVM like the service, that turns a POST into the compare-create txn of B0's
 * {@code R_txn} (the body stored as is), a GET into the linearizable get of {@code R_lget}, and a PATCH into a get
 * and a put conditional on it (the body stored as is), answering with the stored bytes. No JSON, authentication, RBAC, audit, validation, managedFields or cache: B1, B2 and B3's
 * consistent GET against it show how far the targets are from the cost of HTTP alone, and the service's figures
 * against it what the API adds.
 *
 * <p>Usage: {@code ProxyCeiling <port> <etcd URL>}; prints {@code listening} once it accepts connections.
 */
public final class ProxyCeiling {

    private ProxyCeiling() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Client etcd = Client.builder().endpoints(args[1]).build();
        KV kv = etcd.getKVClient();
        // connected before it listens, as the service is once its watch cache has loaded
        kv.get(bytes("/bench-proxy/")).join();
        AtomicLong seq = new AtomicLong();
        Vertx vertx = Vertx.vertx(); // 2 × cores event loops, as Quarkus gives the service
        vertx.createHttpServer().requestHandler(request -> {
            if (request.method() == HttpMethod.GET) {
                // the path is the key, as the service maps a pool's path to its key
                kv.get(bytes("/bench-proxy" + request.path())).whenComplete((r, e) -> {
                    if (e != null) {
                        fail(request, e);
                    } else if (r.getKvs().isEmpty()) {
                        request.response().setStatusCode(404).end();
                    } else {
                        answer(request, 200, r.getKvs().get(0).getValue().getBytes());
                    }
                });
                return;
            }
            if (request.method() == HttpMethod.PATCH) {
                // an update as any front of etcd makes one: read the key, write it back conditional on that read
                ByteSequence key = bytes("/bench-proxy" + request.path());
                request.body().onSuccess(body -> kv.get(key).thenCompose(read -> kv.txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(read.getKvs().isEmpty() ? 0
                                : read.getKvs().get(0).getModRevision())))
                        .Then(Op.put(key, ByteSequence.from(body.getBytes()), PutOption.DEFAULT)).commit())
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                fail(request, e);
                            } else {
                                answer(request, r.isSucceeded() ? 200 : 409, body.getBytes());
                            }
                        }));
                return;
            }
            request.body().onSuccess(body -> {
                byte[] value = body.getBytes();
                ByteSequence key = bytes("/bench-proxy" + request.path() + seq.incrementAndGet());
                kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                        .Then(Op.put(key, ByteSequence.from(value), PutOption.DEFAULT)).commit()
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                fail(request, e);
                            } else {
                                answer(request, r.isSucceeded() ? 201 : 409, value);
                            }
                        });
            });
        }).listen(port).toCompletionStage().toCompletableFuture().join();
        System.out.println("listening");
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** Answers from etcd's callback thread, as Vert.x allows; the service hops to the event loop instead. */
    private static void answer(HttpServerRequest request, int status, byte[] body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(body));
    }

    private static void fail(HttpServerRequest request, Throwable e) {
        request.response().setStatusCode(500).end(String.valueOf(e));
    }
}
