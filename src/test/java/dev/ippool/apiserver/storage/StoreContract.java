package dev.ippool.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} keeps, run against each implementation (as kube's storage/testing suite is
 * run against etcd3 and the cacher).
 */
public abstract class StoreContract extends dev.ippool.apiserver.support.PrivateEtcd {

    protected abstract Store store();

    /** Makes the store forget history up to and including {@code revision}. */
    protected abstract void compact(long revision);

    private String prefix;

    @BeforeEach
    void freshPrefix() {
        prefix = "/contract/" + UUID.randomUUID() + "/";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("create then get returns the value with create and mod revision equal to the write's revision")
    void createThenGet() {
        long rev = store().create(prefix + "a", bytes("one"));
        Snapshot snapshot = store().get(prefix + "a");
        assertThat(snapshot.value()).isPresent();
        KeyValue kv = snapshot.value().get();
        assertThat(kv.valueAsString()).isEqualTo("one");
        assertThat(kv.createRevision()).isEqualTo(rev);
        assertThat(kv.modRevision()).isEqualTo(rev);
        assertThat(snapshot.revision()).isGreaterThanOrEqualTo(rev);
    }

    @Test
    @DisplayName("get of an absent key is empty, not an error, and still reports the store revision")
    void getAbsent() {
        long rev = store().create(prefix + "other", bytes("x"));
        Snapshot snapshot = store().get(prefix + "missing");
        assertThat(snapshot.value()).isEmpty();
        assertThat(snapshot.revision()).isGreaterThanOrEqualTo(rev);
    }

    @Test
    @DisplayName("a create or update over etcd's request limit fails with TooLarge, and nothing is written")
    void tooLarge() {
        byte[] big = new byte[2 * 1024 * 1024];
        assertThatThrownBy(() -> store().create(prefix + "big", big)).isInstanceOf(StorageException.TooLarge.class);
        long created = store().create(prefix + "big", bytes("small"));
        assertThatThrownBy(() -> store().update(prefix + "big", big, created))
                .isInstanceOf(StorageException.TooLarge.class);
        assertThat(store().get(prefix + "big").value().orElseThrow().modRevision()).isEqualTo(created);
    }

    @Test
    @DisplayName("a stamp is the key's current mod revision (0 when absent) and the revision of the read")
    void stamp() {
        long created = store().create(prefix + "s", bytes("one"));
        long updated = store().update(prefix + "s", bytes("two"), created);
        assertThat(store().stamp(prefix + "s").modRevision()).isEqualTo(updated);
        assertThat(store().stamp(prefix + "s").revision()).isGreaterThanOrEqualTo(updated);
        store().stampAsync(prefix + "s").ifPresent(read -> {
            Store.Stamp async = Futures.join(read);
            assertThat(async.modRevision()).isEqualTo(updated);
            assertThat(async.revision()).isGreaterThanOrEqualTo(updated);
        });
        long deleted = store().delete(prefix + "s", updated);
        Store.Stamp absent = store().stamp(prefix + "s");
        assertThat(absent.modRevision()).isZero();
        assertThat(absent.revision()).isGreaterThanOrEqualTo(deleted);
        store().stampAsync(prefix + "s").ifPresent(read -> assertThat(Futures.join(read).modRevision()).isZero());
    }

    @Test
    @DisplayName("concurrent reads of one key each see every write that completed before the read began")
    void concurrentReadsAreCurrent() throws Exception {
        String key = prefix + "hot";
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong(
                store().create(key, bytes("0")));
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> stale = new java.util.ArrayList<>();
            for (int r = 0; r < 8; r++) {
                stale.add(readers.submit(() -> {
                    int behind = 0;
                    for (int i = 0; i < 300; i++) {
                        long before = written.get();
                        if (store().get(key).value().orElseThrow().modRevision() < before) {
                            behind++;
                        }
                    }
                    return behind;
                }));
            }
            for (int i = 1; stale.stream().anyMatch(f -> !f.isDone()); i++) {
                written.set(store().update(key, bytes(Integer.toString(i)), written.get()));
            }
            for (java.util.concurrent.Future<Integer> f : stale) {
                assertThat(f.get()).as("reads that missed a write completed before they began").isZero();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    @DisplayName("a read answered now is the one the waiting read gives; a revision not reached is never answered now")
    void readNow() {
        String key = prefix + "now";
        long rev = store().create(key, bytes("v"));
        Snapshot waited = store().getNotOlderThan(key, rev);
        store().getNotOlderThanNow(key, rev).ifPresent(now -> {
            assertThat(now.value().orElseThrow().modRevision()).isEqualTo(rev);
            assertThat(now.value().orElseThrow().valueAsString()).isEqualTo("v");
            assertThat(now.revision()).isGreaterThanOrEqualTo(rev);
        });
        assertThat(store().getNotOlderThanNow(key, waited.revision() + 1_000_000)).isEmpty();
    }

    @Test
    @DisplayName("an asynchronous create writes as create does; on an existing key its stage fails with AlreadyExists")
    void createAsync() {
        long rev = Futures.join(store().createAsync(prefix + "async", bytes("one")));
        KeyValue kv = store().get(prefix + "async").value().orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("one");
        assertThat(kv.createRevision()).isEqualTo(rev);
        assertThat(kv.modRevision()).isEqualTo(rev);
        var second = store().createAsync(prefix + "async", bytes("two")).toCompletableFuture();
        assertThatThrownBy(() -> Futures.join(second))
                .isInstanceOfSatisfying(StorageException.AlreadyExists.class, e -> {
                    assertThat(e.current().valueAsString()).isEqualTo("one");
                    assertThat(e.current().modRevision()).isEqualTo(rev);
                });
        assertThat(store().get(prefix + "async").value().orElseThrow().valueAsString()).isEqualTo("one");
    }

    @Test
    @DisplayName("asynchronous updates and deletes write as the blocking ones; a stale revision fails with Conflict "
            + "and the winner, an absent key with NotFound, unwrapped and without writing")
    void updateAndDeleteAsync() {
        String key = prefix + "async-update";
        long created = store().create(key, bytes("one"));
        long updated = Futures.join(store().updateAsync(key, bytes("two"), created));
        KeyValue kv = store().get(key).value().orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("two");
        assertThat(kv.createRevision()).isEqualTo(created);
        assertThat(kv.modRevision()).isEqualTo(updated);
        assertThatThrownBy(() -> Futures.join(store().updateAsync(key, bytes("three"), created)))
                .isInstanceOfSatisfying(StorageException.Conflict.class, e -> {
                    assertThat(e.current().valueAsString()).isEqualTo("two");
                    assertThat(e.current().modRevision()).isEqualTo(updated);
                });
        assertThatThrownBy(() -> Futures.join(store().deleteAsync(key, created)))
                .isInstanceOfSatisfying(StorageException.Conflict.class,
                        e -> assertThat(e.current().modRevision()).isEqualTo(updated));
        assertThat(store().get(key).value().orElseThrow().valueAsString()).isEqualTo("two");
        long deleted = Futures.join(store().deleteAsync(key, updated));
        assertThat(deleted).isGreaterThan(updated);
        assertThat(store().get(key).value()).isEmpty();
        assertThatThrownBy(() -> Futures.join(store().updateAsync(key, bytes("four"), updated)))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> Futures.join(store().deleteAsync(key, updated)))
                .isInstanceOf(StorageException.NotFound.class);
        assertThat(store().get(key).value()).isEmpty();
    }

    @Test
    @DisplayName("a read without blocking, where the store gives one, reads what get reads, absent keys included")
    void getAsync() {
        long rev = store().create(prefix + "read", bytes("v"));
        store().getAsync(prefix + "read").ifPresent(read -> {
            Snapshot s = Futures.join(read);
            assertThat(s.value().orElseThrow().valueAsString()).isEqualTo("v");
            assertThat(s.value().orElseThrow().modRevision()).isEqualTo(rev);
            assertThat(s.revision()).isGreaterThanOrEqualTo(rev);
        });
        store().getAsync(prefix + "absent").ifPresent(read -> {
            Snapshot s = Futures.join(read);
            assertThat(s.value()).isEmpty();
            assertThat(s.revision()).isGreaterThanOrEqualTo(rev);
        });
    }

    @Test
    @DisplayName("create of an existing key fails with AlreadyExists carrying the current value")
    void createExisting() {
        long rev = store().create(prefix + "a", bytes("one"));
        assertThatThrownBy(() -> store().create(prefix + "a", bytes("two")))
                .isInstanceOfSatisfying(StorageException.AlreadyExists.class, e -> {
                    assertThat(e.current().valueAsString()).isEqualTo("one");
                    assertThat(e.current().modRevision()).isEqualTo(rev);
                });
    }

    @Test
    @DisplayName("update on the current mod revision writes and moves the revision forward")
    void updateCurrent() {
        long rev = store().create(prefix + "a", bytes("one"));
        long next = store().update(prefix + "a", bytes("two"), rev);
        assertThat(next).isGreaterThan(rev);
        KeyValue kv = store().get(prefix + "a").value().orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("two");
        assertThat(kv.modRevision()).isEqualTo(next);
        assertThat(kv.createRevision()).isEqualTo(rev);
    }

    @Test
    @DisplayName("update on a stale revision fails with Conflict carrying the winner, and writes nothing")
    void updateStale() {
        long rev = store().create(prefix + "a", bytes("one"));
        long winner = store().update(prefix + "a", bytes("two"), rev);
        assertThatThrownBy(() -> store().update(prefix + "a", bytes("three"), rev))
                .isInstanceOfSatisfying(StorageException.Conflict.class, e -> {
                    assertThat(e.current().valueAsString()).isEqualTo("two");
                    assertThat(e.current().modRevision()).isEqualTo(winner);
                });
        assertThat(store().get(prefix + "a").value().orElseThrow().valueAsString()).isEqualTo("two");
    }

    @Test
    @DisplayName("update and delete of an absent key fail with NotFound")
    void absentWrites() {
        assertThatThrownBy(() -> store().update(prefix + "nope", bytes("x"), 5))
                .isInstanceOf(StorageException.NotFound.class);
        assertThatThrownBy(() -> store().delete(prefix + "nope", 5)).isInstanceOf(StorageException.NotFound.class);
    }

    @Test
    @DisplayName("delete on the current revision removes the key; on a stale one it conflicts and keeps it")
    void deleteConditional() {
        long rev = store().create(prefix + "a", bytes("one"));
        long next = store().update(prefix + "a", bytes("two"), rev);
        assertThatThrownBy(() -> store().delete(prefix + "a", rev)).isInstanceOf(StorageException.Conflict.class);
        assertThat(store().get(prefix + "a").value()).isPresent();
        long deleted = store().delete(prefix + "a", next);
        assertThat(deleted).isGreaterThan(next);
        assertThat(store().get(prefix + "a").value()).isEmpty();
    }

    @Test
    @DisplayName("list returns keys under the prefix only, in byte order, with the store revision")
    void listOrder() {
        store().create(prefix + "b", bytes("2"));
        store().create(prefix + "a", bytes("1"));
        long last = store().create(prefix + "c/x", bytes("3"));
        store().create(prefix.substring(0, prefix.length() - 1) + "0", bytes("outside"));
        Page page = store().list(ListRequest.all(prefix));
        assertThat(page.items()).extracting(KeyValue::key)
                .containsExactly(prefix + "a", prefix + "b", prefix + "c/x");
        assertThat(page.revision()).isGreaterThan(last);
        assertThat(page.more()).isFalse();
        assertThat(page.remaining()).isZero();
    }

    @Test
    @DisplayName("list with a limit and a start key pages through, reporting more and remaining")
    void listPaging() {
        for (String k : List.of("a", "b", "c", "d", "e")) {
            store().create(prefix + k, bytes(k));
        }
        Page first = store().list(new ListRequest(prefix, null, 0, 2));
        assertThat(first.items()).extracting(KeyValue::valueAsString).containsExactly("a", "b");
        assertThat(first.more()).isTrue();
        assertThat(first.remaining()).isEqualTo(3);
        Page second = store().list(new ListRequest(prefix, prefix + "b\u0000", first.revision(), 2));
        assertThat(second.items()).extracting(KeyValue::valueAsString).containsExactly("c", "d");
        assertThat(second.revision()).isEqualTo(first.revision());
        assertThat(second.remaining()).isEqualTo(1);
    }

    @Test
    @DisplayName("list at an older revision sees the state of that revision")
    void listAtRevision() {
        long rev = store().create(prefix + "a", bytes("old"));
        store().update(prefix + "a", bytes("new"), rev);
        store().create(prefix + "b", bytes("later"));
        Page page = store().list(new ListRequest(prefix, null, rev, 0));
        assertThat(page.items()).extracting(KeyValue::valueAsString).containsExactly("old");
    }

    @Test
    @DisplayName("list at a compacted revision fails with Compacted; ahead of the store with FutureRevision")
    void listOutOfHistory() {
        long rev = store().create(prefix + "a", bytes("1"));
        long next = store().update(prefix + "a", bytes("2"), rev);
        compact(next);
        assertThatThrownBy(() -> store().list(new ListRequest(prefix, null, rev, 0)))
                .isInstanceOf(StorageException.Compacted.class);
        assertThatThrownBy(() -> store().list(new ListRequest(prefix, null, next + 1_000_000, 0)))
                .isInstanceOfSatisfying(StorageException.FutureRevision.class,
                        e -> assertThat(e.requested()).isEqualTo(next + 1_000_000));
    }

    /** {@link Store#watch} or {@link Store#watchLatest}. */
    private interface WatchOpener {
        Subscription open(String prefix, long afterRevision, WatchListener listener);
    }

    /**
     * Opens a watch with {@code opener} after a seed write, then creates, updates and deletes one key, with a write
     * outside the prefix between: the three changes, checked for type, revision and value, and nothing more.
     */
    private List<Change> createUpdateDelete(WatchOpener opener) throws Exception {
        long start = store().create(prefix + "seed", bytes("0"));
        Recorder recorder = new Recorder();
        try (Subscription ignored = opener.open(prefix, start, recorder)) {
            long a = store().create(prefix + "a", bytes("1"));
            long b = store().update(prefix + "a", bytes("2"), a);
            store().create(prefix.substring(0, prefix.length() - 1) + "-elsewhere", bytes("x"));
            long c = store().delete(prefix + "a", b);
            List<Change> changes = recorder.next(3);
            assertThat(changes).extracting(Change::type)
                    .containsExactly(Change.Type.PUT, Change.Type.PUT, Change.Type.DELETE);
            assertThat(changes).extracting(Change::revision).containsExactly(a, b, c);
            assertThat(changes.get(0).previous()).isNull();
            assertThat(changes.get(1).current().valueAsString()).isEqualTo("2");
            assertThat(changes.get(2).current()).isNull();
            assertThat(recorder.quietFor(200)).isTrue();
            return changes;
        }
    }

    @Test
    @DisplayName("watch delivers every later change under the prefix in order, with the previous value")
    void watchLive() throws Exception {
        List<Change> changes = createUpdateDelete(store()::watch);
        assertThat(changes.get(1).previous().valueAsString()).isEqualTo("1");
        assertThat(changes.get(2).previous().valueAsString()).isEqualTo("2");
    }

    @Test
    @DisplayName("watchLatest delivers the same changes as watch; a previous value it gives is the true one")
    void watchLatest() throws Exception {
        List<Change> changes = createUpdateDelete(store()::watchLatest);
        assertThat(changes.get(1).previous()).satisfiesAnyOf(p -> assertThat(p).isNull(),
                p -> assertThat(p.valueAsString()).isEqualTo("1"));
        assertThat(changes.get(2).previous()).satisfiesAnyOf(p -> assertThat(p).isNull(),
                p -> assertThat(p.valueAsString()).isEqualTo("2"));
    }

    @Test
    @DisplayName("watch from a past revision replays what followed it; closing it stops delivery")
    void watchReplayAndClose() throws Exception {
        long first = store().create(prefix + "a", bytes("1"));
        long second = store().create(prefix + "b", bytes("2"));
        Recorder recorder = new Recorder();
        Subscription subscription = store().watch(prefix, first, recorder);
        assertThat(recorder.next().revision()).isEqualTo(second);
        subscription.close();
        store().create(prefix + "c", bytes("3"));
        assertThat(recorder.quietFor(300)).isTrue();
    }

    @Test
    @DisplayName("watch from a revision older than the history ends with Compacted")
    void watchCompacted() throws Exception {
        long rev = store().create(prefix + "a", bytes("1"));
        long next = store().update(prefix + "a", bytes("2"), rev);
        compact(next);
        Recorder recorder = new Recorder();
        try (Subscription ignored = store().watch(prefix, rev - 1, recorder)) {
            assertThat(recorder.error()).isInstanceOf(StorageException.Compacted.class);
        } catch (StorageException.Compacted expected) {
            assertThat(expected.requested()).isEqualTo(rev - 1);
        }
    }
}
