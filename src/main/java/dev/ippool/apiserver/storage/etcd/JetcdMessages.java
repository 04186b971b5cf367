package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.storage.Change;
import dev.ippool.apiserver.storage.KeyValue;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.impl.AbstractResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads values out of jetcd's responses without its wrappers. jetcd 0.8.5 wraps every value of a range or watch
 * response in a {@code ByteSequence}, whose constructor hashes all of its bytes: for a 60 KB pool that is a full
 * pass over it on each read and each watch event, 10 % of the service's CPU in the allocation benchmark (B7),
 * more for larger pools. The protobuf message under the wrapper has the same values; jetcd keeps it behind a
 * protected accessor, reached here once through a method handle. If a jetcd version hides it otherwise, the
 * public wrappers are used as before.
 */
final class JetcdMessages {

    /** {@code AbstractResponse.getResponse()}, or null when this jetcd does not offer it. */
    private final MethodHandle message;

    JetcdMessages() {
        MethodHandle found;
        try {
            found = MethodHandles.privateLookupIn(AbstractResponse.class, MethodHandles.lookup())
                    .findVirtual(AbstractResponse.class, "getResponse", MethodType.methodType(Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            found = null;
        }
        this.message = found;
    }

    /** Whether values are read from the messages (false: through jetcd's wrappers). */
    boolean direct() {
        return message != null;
    }

    private Object message(AbstractResponse<?> response) {
        try {
            return message.invoke(response);
        } catch (Throwable e) {
            throw new IllegalStateException("jetcd response without its message", e);
        }
    }

    List<KeyValue> kvs(GetResponse response) {
        if (message == null) {
            return response.getKvs().stream().map(JetcdMessages::of).toList();
        }
        List<io.etcd.jetcd.api.KeyValue> raw = ((RangeResponse) message(response)).getKvsList();
        List<KeyValue> out = new ArrayList<>(raw.size());
        for (io.etcd.jetcd.api.KeyValue kv : raw) {
            out.add(of(kv));
        }
        return out;
    }

    /** The changes of a watch response, in order; a previous value is null when etcd had none. */
    List<Change> changes(WatchResponse response) {
        List<Change> out = new ArrayList<>();
        if (message == null) {
            for (WatchEvent e : response.getEvents()) {
                KeyValue prev = e.getPrevKV() == null || e.getPrevKV().getModRevision() == 0 ? null
                        : of(e.getPrevKV());
                out.add(change(e.getEventType() == WatchEvent.EventType.DELETE, of(e.getKeyValue()), prev));
            }
            return out;
        }
        for (Event e : ((io.etcd.jetcd.api.WatchResponse) message(response)).getEventsList()) {
            KeyValue prev = !e.hasPrevKv() || e.getPrevKv().getModRevision() == 0 ? null : of(e.getPrevKv());
            out.add(change(e.getType() == Event.EventType.DELETE, of(e.getKv()), prev));
        }
        return out;
    }

    private static Change change(boolean delete, KeyValue kv, KeyValue prev) {
        return delete ? new Change(Change.Type.DELETE, kv.key(), null, prev, kv.modRevision())
                : new Change(Change.Type.PUT, kv.key(), kv, prev, kv.modRevision());
    }

    static KeyValue of(io.etcd.jetcd.api.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toByteArray(),
                kv.getCreateRevision(), kv.getModRevision());
    }

    static KeyValue of(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision());
    }
}
