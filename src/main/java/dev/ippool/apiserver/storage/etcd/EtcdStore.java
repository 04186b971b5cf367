package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.Snapshot;
import dev.ippool.apiserver.storage.StorageException;
import dev.ippool.apiserver.storage.Store;
import dev.ippool.apiserver.storage.Subscription;
import dev.ippool.apiserver.storage.WatchListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * {@link Store} on etcd v3, written the way kube-apiserver's etcd3 store writes: a create is a transaction on
 * {@code create_revision == 0}, an update or delete a transaction on {@code mod_revision}, and the losing branch
 * of each transaction reads the current value so a retry needs no second round trip.
 */
public final class EtcdStore implements Store, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EtcdStore.class);

    private final Client client;
    private final KvCalls calls;
    private final Deadline deadline;
    private final JetcdMessages messages = new JetcdMessages();
    private final ReadCoalescer<GetResponse> reads;
    private final ReadCoalescer<GetResponse> stamps;
    /** Set by {@link #close}: the watches it ends are ended on purpose, not broken. */
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CompletableFuture<Void> ready = CompletableFuture.completedFuture(null);
    /** Completes once jetcd's clients are built (see {@link #jetcdClients}). */
    private final CompletableFuture<Void> clients = new CompletableFuture<>();

    /** A store whose every call goes through jetcd's {@code client}. */
    public EtcdStore(Client client, Duration timeout) {
        this(client, timeout, null);
    }

    EtcdStore(Client client, Duration timeout, LoopChannels loops) {
        this(client, timeout, loops, false);
    }

    private EtcdStore(Client client, Duration timeout, LoopChannels loops, boolean clientsLater) {
        this.client = client;
        this.calls = new KvCalls(this::kv);
        if (loops != null) {
            calls.attach(loops);
        }
        this.deadline = new Deadline(timeout.toMillis());
        // the deadline on the shared read itself: a waiter's own deadline never cancels what others share
        this.reads = new ReadCoalescer<>(key -> deadline.bound(calls.get(key, false)));
        this.stamps = new ReadCoalescer<>(key -> deadline.bound(calls.get(key, true)));
        if (!clientsLater) {
            // on the constructing thread, as always before open built them aside: see jetcdClients
            jetcdClients();
        }
    }

    /**
     * A store on {@code endpoints} whose request-path calls run on {@code vertx}'s event loops where that
     * applies (see {@link LoopChannels}), and through jetcd otherwise.
     *
     * <p>jetcd's clients are built, and the loops' channels opened, on a thread of their own: gRPC's and Netty's
     * set-up of them, and jetcd's own Vert.x, were 80-150 ms of a start's main thread, before its first answer (B9
     * in the README). Until the channels are open the calls go through jetcd; {@link #ready} tells when they are.
     * A call that comes before jetcd's clients are built waits for them ({@link #kv}); no request comes so early
     * (the HTTP server opens after the application's beans are built), so no event loop waits.
     */
    public static EtcdStore open(List<String> endpoints, Duration timeout, int maxInboundBytes, Vertx vertx) {
        EtcdStore store = new EtcdStore(connect(endpoints, timeout, maxInboundBytes), timeout, null, true);
        Executor ownThread = task -> {
            Thread thread = new Thread(task, "etcd-open");
            thread.setDaemon(true);
            thread.start();
        };
        store.ready = CompletableFuture.runAsync(() -> {
            try {
                store.jetcdClients();
            } catch (RuntimeException | Error e) {
                store.clients.completeExceptionally(e);
                throw e;
            }
            // gRPC's own deadline only frees a call's stream; a second past ours, so ours always answers first
            LoopChannels.open(vertx, endpoints, maxInboundBytes, timeout.toMillis() + 1000)
                    .ifPresent(store.calls::attach);
        }, ownThread).exceptionally(failure -> {
            LOG.warnf(failure, "building etcd's clients or the loops' channels failed");
            return null;
        });
        return store;
    }

    /**
     * Builds jetcd's KV and Watch clients. Only ever on the thread that builds the store, or on {@link #open}'s
     * own: jetcd builds its Vert.x with the first client, and built on an event loop that Vert.x would take the
     * loop's context as its own (and warn). Callers wait for them ({@link #kv}), never build them.
     */
    private void jetcdClients() {
        client.getKVClient();
        client.getWatchClient();
        clients.complete(null);
    }

    /** jetcd's KV client; waits the first milliseconds of a start for {@link #open}'s thread to build it. */
    private KV kv() {
        clients.join();
        return client.getKVClient();
    }

    private Watch watch() {
        clients.join();
        return client.getWatchClient();
    }

    /** The request path's calls, for tests in this package. */
    KvCalls calls() {
        return calls;
    }

    /**
     * Completes once what {@link #open} opens aside is open: jetcd's clients, and the loops' channels where they
     * apply (the calls use them from then on).
     */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    /**
     * Initialises the classes of the client and calls {@link #open} builds, ahead of it on another thread
     * ({@code config.StartAhead}): connects nowhere, and leaves no thread, channel or socket behind.
     */
    public static void preload() {
        Client.builder().endpoints("http://127.0.0.1:2379").maxInboundMessageSize(1).retryDelay(10);
        LoopChannels.preload();
    }

    /** Builds a jetcd client whose inbound limit allows large pools and lists. */
    public static Client connect(List<String> endpoints, Duration timeout, int maxInboundBytes) {
        return Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .maxInboundMessageSize(maxInboundBytes)
                .connectTimeout(timeout)
                // jetcd retries unavailable endpoints by itself; keep its retries inside our own deadline
                // (its policy requires the max duration to exceed the first delay).
                .retryDelay(Math.max(10, timeout.toMillis() / 10))
                .retryMaxDelay(Math.max(20, timeout.toMillis() / 2))
                .retryChronoUnit(java.time.temporal.ChronoUnit.MILLIS)
                .retryMaxDuration(timeout)
                .build();
    }

    /** Linearizable; concurrent reads of one key share round trips (see {@link ReadCoalescer}). */
    @Override
    public Snapshot get(String key) {
        return snapshot(await(reads.read(key), "get", 0, false));
    }

    /** The same coalesced read; its shared future carries the deadline, so no caller cancels it for others. */
    @Override
    public Optional<CompletionStage<Snapshot>> getAsync(String key) {
        return Optional.of(deadline.then(reads.read(key), "get", this::snapshot));
    }

    private Snapshot snapshot(GetResponse response) {
        Optional<KeyValue> value = messages.kvs(response).stream().findFirst();
        return new Snapshot(value, response.getHeader().getRevision());
    }

    /** A keys-only range: linearizable, coalesced as {@link #get} is, and no value on the wire. */
    @Override
    public Stamp stamp(String key) {
        return stamp(await(stamps.read(key), "get", 0, false));
    }

    /** The same coalesced keys-only read, its shared future carrying the deadline. */
    @Override
    public Optional<CompletionStage<Stamp>> stampAsync(String key) {
        return Optional.of(deadline.then(stamps.read(key), "get", EtcdStore::stamp));
    }

    private static Stamp stamp(GetResponse response) {
        long modRevision = response.getKvs().isEmpty() ? 0 : response.getKvs().get(0).getModRevision();
        return new Stamp(modRevision, response.getHeader().getRevision());
    }

    @Override
    public Page list(ListRequest request) {
        String start = request.startKey() == null ? request.prefix() : request.startKey();
        GetOption option = GetOption.builder()
                .withRange(bytes(rangeEnd(request.prefix())))
                .withRevision(request.revision())
                .withLimit(request.limit())
                .build();
        GetResponse response = await(kv().get(bytes(start), option), "list", request.revision());
        List<KeyValue> items = messages.kvs(response);
        long revision = response.getHeader().getRevision();
        return new Page(items, revision, response.isMore(), Math.max(0, response.getCount() - items.size()));
    }

    @Override
    public long create(String key, byte[] value) {
        return created(await(calls.create(key, value), "create"));
    }

    /** One transaction, as {@link #create}, with the same deadline and errors. */
    @Override
    public CompletionStage<Long> createAsync(String key, byte[] value) {
        return deadline.then(deadline.bound(calls.create(key, value)), "create", this::created);
    }

    private long created(TxnResponse response) {
        if (!response.isSucceeded()) {
            throw new StorageException.AlreadyExists(current(response).orElseThrow());
        }
        return response.getHeader().getRevision();
    }

    @Override
    public long update(String key, byte[] value, long expectedModRevision) {
        return conditioned(key, await(calls.update(key, value, expectedModRevision), "update"));
    }

    /** One transaction, as {@link #update}, with the same deadline and errors. */
    @Override
    public CompletionStage<Long> updateAsync(String key, byte[] value, long expectedModRevision) {
        return deadline.then(deadline.bound(calls.update(key, value, expectedModRevision)), "update",
                r -> conditioned(key, r));
    }

    @Override
    public long delete(String key, long expectedModRevision) {
        return conditioned(key, await(calls.delete(key, expectedModRevision), "delete"));
    }

    /** One transaction, as {@link #delete}, with the same deadline and errors. */
    @Override
    public CompletionStage<Long> deleteAsync(String key, long expectedModRevision) {
        return deadline.then(deadline.bound(calls.delete(key, expectedModRevision)), "delete", r -> conditioned(key, r));
    }

    /** The revision of a conditional write, or the loss: Conflict with the winner, or NotFound. */
    private long conditioned(String key, TxnResponse response) {
        if (!response.isSucceeded()) {
            throw lost(key, response);
        }
        return response.getHeader().getRevision();
    }

    /**
     * One etcd watch per call (kube's uncached etcd3 watcher). jetcd resumes the stream by itself after a
     * connection loss; a compaction or a refusal ends the watch through {@link WatchListener#onError}.
     * {@link #close} ends watches without a word to their listeners.
     */
    @Override
    public Subscription watch(String prefix, long afterRevision, WatchListener listener) {
        return watch(prefix, afterRevision, true, listener);
    }

    /** Without etcd's {@code prev_kv}: the watch cache has every previous value already. */
    @Override
    public Subscription watchLatest(String prefix, long afterRevision, WatchListener listener) {
        return watch(prefix, afterRevision, false, listener);
    }

    private Subscription watch(String prefix, long afterRevision, boolean previous, WatchListener listener) {
        return EtcdWatch.start(watch(), messages, prefix, afterRevision, previous, listener, closed::get);
    }

    /** The jetcd client, for operations outside the {@link Store} contract (compaction). */
    public Client client() {
        return client;
    }

    @Override
    public void close() {
        // a watch's listener would hear of its end as a failure and try to resume it
        closed.set(true);
        calls.close();
        client.close();
        deadline.close();
    }

    private StorageException lost(String key, TxnResponse response) {
        return current(response).<StorageException>map(StorageException.Conflict::new)
                .orElseGet(() -> new StorageException.NotFound(key));
    }

    private Optional<KeyValue> current(TxnResponse response) {
        return response.getGetResponses().stream().flatMap(r -> messages.kvs(r).stream()).findFirst();
    }

    private <T> T await(CompletableFuture<T> future, String operation) {
        return await(future, operation, 0, true);
    }

    private <T> T await(CompletableFuture<T> future, String operation, long revision) {
        return await(future, operation, revision, true);
    }

    private <T> T await(CompletableFuture<T> future, String operation, long revision, boolean own) {
        return deadline.await(future, operation, revision, own);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    /** The smallest key greater than every key with this prefix: the last byte plus one. */
    static String rangeEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
