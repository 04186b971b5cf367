package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.api.ResourceDefinition;
import dev.ippool.apiserver.storage.KeyValue;
import dev.ippool.apiserver.storage.ListRequest;
import dev.ippool.apiserver.storage.Page;
import dev.ippool.apiserver.storage.StorageException;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ippool.apiserver.api.RawJson;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * LIST of one resource with kube's resourceVersion semantics (the table in the API concepts docs, as
 * {@code etcd3/store.go GetList} implements it), selectors, and {@code limit}/{@code continue} paging.
 */
public final class Lister {

    private static final long MAX_PAGE = 10000;

    private final ResourceRegistry registry;

    public Lister(ResourceRegistry registry) {
        this.registry = registry;
    }

    /**
     * A list result: the items as stored (decoded only when someone needs their trees) and the list metadata kube
     * would send.
     */
    public record Result(List<KeyValue> stored, long revision, String continueToken, Long remainingItemCount) {
    }

    /** The items as objects, each with its resourceVersion. */
    public List<ObjectNode> items(Result result) {
        return result.stored().stream().map(registry::decode).toList();
    }

    /**
     * @param namespace {@code null} for all namespaces
     */
    public Result list(String namespace, ListOptions options) {
        OptionChecks.list(options);
        Selector selector = Selector.parse(options.labelSelector(), options.fieldSelector());
        String prefix = namespace == null ? registry.keys().all() : registry.keys().namespace(namespace);
        long limit = Math.max(0, options.limit());
        long requested = OptionChecks.resourceVersion(options.resourceVersion());
        long readAt;
        boolean checkMinimum = false;
        String start = prefix;
        boolean continuing = !options.continueToken().isEmpty();
        boolean fromCache = !continuing && !options.resourceVersion().isEmpty()
                && (options.resourceVersionMatch().equals("NotOlderThan")
                || (options.resourceVersionMatch().isEmpty() && (requested == 0 || limit == 0)));
        if (fromCache) {
            // kube's cacher serves these, ignoring limit (a client must accept a full list for RV "0")
            try {
                return fromCache(prefix, requested, selector);
            } catch (StorageException.FutureRevision e) {
                throw StorageErrors.tooLargeResourceVersion(e.requested(), e.current());
            } catch (StorageException e) {
                throw StorageErrors.interpret(e, registry.resource(), "list", "");
            }
        }
        if (continuing) {
            if (!options.resourceVersion().isEmpty() && !options.resourceVersion().equals("0")) {
                throw ApiException.badRequest("specifying resource version is not allowed when using continue");
            }
            ContinueToken token = ContinueToken.decode(registry.codec().mapper(), options.continueToken());
            start = prefix + token.startKey();
            readAt = Math.max(0, token.revision());
        } else if (options.resourceVersionMatch().equals("Exact") || (options.resourceVersionMatch().isEmpty()
                && limit > 0 && requested > 0)) {
            readAt = requested;
        } else {
            readAt = 0;
            checkMinimum = requested > 0;
        }
        try {
            return read(prefix, start, readAt, limit, selector, checkMinimum ? requested : 0);
        } catch (StorageException.Compacted e) {
            if (continuing) {
                String relative = start.substring(prefix.length());
                String token = ContinueToken.encode(registry.codec().mapper(), -1,
                        relative.endsWith("\u0000") ? relative.substring(0, relative.length() - 1) : relative);
                throw new ApiException(ApiException.expired(StorageErrors.CONTINUE_TOO_OLD).status()
                        .withContinue(token));
            }
            throw ApiException.expired(StorageErrors.LIST_TOO_OLD);
        } catch (StorageException.FutureRevision e) {
            throw StorageErrors.tooLargeResourceVersion(e.requested(), currentRevision());
        } catch (StorageException e) {
            throw StorageErrors.interpret(e, registry.resource(), "list", "");
        }
    }

    private Result read(String prefix, String start, long readAt, long limit, Selector selector, long minimum) {
        List<KeyValue> items = new ArrayList<>();
        long revision = readAt;
        long batch = limit == 0 ? 0 : limit;
        String next = start;
        String lastKey = null;
        boolean more;
        Long remaining = null;
        do {
            Page page = registry.store().list(new ListRequest(prefix, next, revision, batch));
            if (revision == 0) {
                revision = page.revision();
                if (minimum > revision) {
                    throw StorageErrors.tooLargeResourceVersion(minimum, revision);
                }
            }
            more = page.more();
            int index = 0;
            for (KeyValue kv : page.items()) {
                index++;
                if (limit > 0 && items.size() >= limit) {
                    more = true;
                    break;
                }
                lastKey = kv.key();
                if (matches(selector, kv)) {
                    items.add(kv);
                }
            }
            if (limit > 0 && selector.isEmpty() && more) {
                remaining = page.remaining() - (page.items().size() - index);
            }
            if (lastKey != null) {
                next = lastKey + "\u0000";
            }
            // a selector can leave a page short: keep reading, in growing batches, as kube does
            batch = Math.min(MAX_PAGE, batch * 2);
        } while (limit > 0 && more && items.size() < limit);
        String token = limit > 0 && more && lastKey != null
                ? ContinueToken.encode(registry.codec().mapper(), revision, lastKey.substring(prefix.length()))
                : null;
        return new Result(items, revision, token, token == null ? null : remaining);
    }

    private Result fromCache(String prefix, long minimum, Selector selector) {
        Page page = registry.store().listNotOlderThan(prefix, minimum);
        List<KeyValue> items = new ArrayList<>();
        for (KeyValue kv : page.items()) {
            if (matches(selector, kv)) {
                items.add(kv);
            }
        }
        return new Result(items, page.revision(), null, null);
    }

    /** Without a selector nothing is decoded: the list is written from the stored bytes. */
    private boolean matches(Selector selector, KeyValue kv) {
        return selector.isEmpty() || selector.matches(registry.decode(kv));
    }

    private long currentRevision() {
        try {
            return registry.store().get(registry.keys().all()).revision();
        } catch (StorageException e) {
            return 0;
        }
    }

    /** The {@code <Kind>List} body: sorted keys as kube's unstructured lists serialise. */
    public ObjectNode toListObject(Result result) {
        ResourceDefinition definition = registry.definition();
        ObjectNode list = registry.codec().newObject();
        list.put("apiVersion", definition.apiVersion());
        ArrayNode items = list.putArray("items");
        items(result).forEach(items::add);
        list.put("kind", definition.listKind());
        ObjectNode metadata = list.putObject("metadata");
        if (result.continueToken() != null) {
            metadata.put("continue", result.continueToken());
        }
        if (result.remainingItemCount() != null) {
            metadata.put("remainingItemCount", result.remainingItemCount());
        }
        metadata.put("resourceVersion", Long.toString(result.revision()));
        return list;
    }

    /**
     * The same list as {@link #toListObject}, byte for byte, written from the items' stored bytes (each with its
     * resourceVersion spliced in) rather than from a tree of every item: a LIST of a large namespace decodes
     * nothing and encodes only its list metadata.
     */
    public RawJson toListBytes(Result result) {
        ResourceDefinition definition = registry.definition();
        ObjectNode metadata = registry.codec().newObject();
        if (result.continueToken() != null) {
            metadata.put("continue", result.continueToken());
        }
        if (result.remainingItemCount() != null) {
            metadata.put("remainingItemCount", result.remainingItemCount());
        }
        metadata.put("resourceVersion", Long.toString(result.revision()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(result.stored().stream()
                .mapToInt(kv -> kv.value().length + 32).sum() + 256);
        out.writeBytes(("{\"apiVersion\":" + registry.codec().compact(TextNode.valueOf(definition.apiVersion()))
                + ",\"items\":[").getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        for (KeyValue kv : result.stored()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            byte[] item = registry.forms().encoded(kv).bytes();
            out.write(item, 0, item.length - 1); // without the trailing newline
        }
        out.writeBytes(("],\"kind\":" + registry.codec().compact(TextNode.valueOf(definition.listKind()))
                + ",\"metadata\":" + registry.codec().compact(metadata) + "}\n").getBytes(StandardCharsets.UTF_8));
        return new RawJson(out.toByteArray());
    }
}
