package dev.ippool.apiserver.registry.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusCause;
import dev.ippool.apiserver.api.StatusDetails;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * {@code metadata.managedFields}: who owns which fields, recorded on every write (operation Update) and used by
 * server-side apply (operation Apply) to merge, prune and detect conflicts — kube's fieldmanager
 * (structuredmerge, stripmeta, managedfieldsupdater) over structured-merge-diff's Updater.
 */
public final class FieldManager {

    /** Never owned: type meta, the metadata node and its system fields (kube's stripMetaManager). */
    static final FieldSet STRIPPED = FieldSet.of(List.of(List.of("f:apiVersion"), List.of("f:kind"),
            List.of("f:metadata"), List.of("f:metadata", "f:name"), List.of("f:metadata", "f:namespace"),
            List.of("f:metadata", "f:creationTimestamp"), List.of("f:metadata", "f:selfLink"),
            List.of("f:metadata", "f:uid"), List.of("f:metadata", "f:clusterName"),
            List.of("f:metadata", "f:generation"), List.of("f:metadata", "f:managedFields"),
            List.of("f:metadata", "f:resourceVersion")));
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    /** One managedFields entry. */
    record Entry(String manager, String operation, String apiVersion, String time, FieldSet fields) {
        boolean sameManager(Entry o) {
            return manager.equals(o.manager) && operation.equals(o.operation)
                    && (operation.equals(APPLY) || apiVersion.equals(o.apiVersion));
        }

        Entry with(FieldSet f) {
            return new Entry(manager, operation, apiVersion, time, f);
        }

        /** conflict.go printManager. */
        String printed() {
            return FieldError.quote(manager) + (operation.equals(UPDATE) ? " using " + apiVersion : "");
        }
    }

    private final Structure structure;
    private final String apiVersion;

    public FieldManager(Structure structure, String apiVersion) {
        this.structure = structure;
        this.apiVersion = apiVersion;
    }

    /**
     * Records an Update by {@code manager} on {@code object}: it gains what it added or changed, others lose that
     * and everyone loses what was removed. {@code live} is null for a create. The object's own managedFields, if
     * the client sent a non-empty list, replace the live ones (an empty list resets them), as kube allows.
     */
    public void update(ObjectNode live, ObjectNode object, String manager, Instant now) {
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        JsonNode sent = metadata.get("managedFields");
        List<Entry> entries;
        if (sent != null && sent.isArray() && sent.isEmpty()) {
            entries = new ArrayList<>();
        } else if (sent != null && sent.isArray()) {
            entries = decode(sent);
        } else {
            entries = live == null ? new ArrayList<>() : decode(live.path("metadata").path("managedFields"));
        }
        Structure.Comparison cmp = structure.compare(live == null ? null : view(live), view(object));
        FieldSet changed = cmp.modified().union(cmp.added());
        Entry self = new Entry(manager, UPDATE, apiVersion, null, FieldSet.EMPTY);
        List<Entry> out = new ArrayList<>();
        Entry previous = null;
        for (Entry e : entries) {
            if (e.sameManager(self)) {
                previous = e;
            } else {
                out.add(e.with(e.fields().difference(changed).difference(cmp.removed())));
            }
        }
        FieldSet owned = changed.difference(STRIPPED);
        if (!owned.isEmpty()) {
            FieldSet before = previous == null ? FieldSet.EMPTY : previous.fields().difference(cmp.removed());
            out.add(new Entry(manager, UPDATE, apiVersion, timestamp(now), before.union(owned)));
        } else if (previous != null) {
            out.add(previous.with(previous.fields().difference(cmp.removed())));
        }
        write(metadata, out);
    }

    /**
     * Server-side apply of {@code config} by {@code manager} over {@code live} (null: create). Returns the new
     * object: the configuration merged in, fields this manager applied before and now leaves out removed
     * (unless someone else owns them), managedFields updated. Throws 409 with one FieldManagerConflict cause per
     * field another manager owns and this apply would change, unless {@code force}.
     */
    public ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force, Instant now) {
        Entry self = new Entry(manager, APPLY, apiVersion, timestamp(now), FieldSet.EMPTY);
        FieldSet configSet = structure.fieldSet(clean(config)).difference(STRIPPED);
        if (live == null) {
            ObjectNode created = clean(config);
            write((ObjectNode) created.get("metadata"), List.of(self.with(configSet)));
            return created;
        }
        ObjectNode liveClean = clean(live);
        List<Entry> entries = decode(live.path("metadata").path("managedFields"));
        if (entries.isEmpty()) {
            // kube keeps what was there before the first apply under a manager of its own
            entries.add(new Entry("before-first-apply", UPDATE, apiVersion, timestamp(now),
                    structure.fieldSet(liveClean).difference(STRIPPED)));
        }
        FieldSet last = entries.stream().filter(e -> e.sameManager(self)).map(Entry::fields).findFirst()
                .orElse(FieldSet.EMPTY);
        List<Entry> others = entries.stream().filter(e -> !e.sameManager(self)).collect(Collectors.toList());
        FieldSet ownedByOthers = others.stream().map(Entry::fields).reduce(FieldSet.EMPTY, FieldSet::union);

        ObjectNode merged = (ObjectNode) structure.merge(liveClean, clean(config));
        for (List<String> path : last.difference(configSet).paths()) {
            if (!ownsAtOrBelow(ownedByOthers.union(configSet), path)) {
                structure.remove(merged, path);
            }
        }
        Structure.Comparison cmp = structure.compare(liveClean, merged);
        FieldSet changed = cmp.modified().union(cmp.added());
        List<Conflict> conflicts = new ArrayList<>();
        for (Entry e : others) {
            e.fields().intersection(changed).paths().forEach(p -> conflicts.add(new Conflict(e, p)));
        }
        if (!conflicts.isEmpty() && !force) {
            throw conflictError(conflicts);
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : others) {
            out.add(e.with(e.fields().difference(changed).difference(cmp.removed())));
        }
        out.add(self.with(configSet));
        write((ObjectNode) merged.get("metadata"), out);
        return merged;
    }

    /**
     * kube's IgnoreManagedFieldsTimestampsTransformer: when a write changes nothing but managedFields times,
     * keep the old managedFields so the write stays a no-op (no new resourceVersion, no watch event).
     */
    public void keepTimestampsIfUnchanged(ObjectNode old, ObjectNode object) {
        if (!Structure.same(view(old), view(object))) {
            return;
        }
        JsonNode before = old.path("metadata").path("managedFields");
        JsonNode after = object.path("metadata").path("managedFields");
        if (sameIgnoringTimes(before, after)) {
            ObjectNode metadata = (ObjectNode) object.get("metadata");
            if (before.isMissingNode()) {
                metadata.remove("managedFields");
            } else {
                metadata.set("managedFields", before.deepCopy());
            }
        }
    }

    /** Equal managedFields but for the entries' times, compared in place (a large pool's sets are big). */
    private static boolean sameIgnoringTimes(JsonNode before, JsonNode after) {
        if (!before.isArray() || !after.isArray()) {
            return Structure.same(before, after);
        }
        if (before.size() != after.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            JsonNode b = before.get(i);
            JsonNode a = after.get(i);
            if (!b.isObject() || !a.isObject()) {
                if (!Structure.same(b, a)) {
                    return false;
                }
                continue;
            }
            java.util.Set<String> names = new java.util.HashSet<>();
            b.fieldNames().forEachRemaining(names::add);
            a.fieldNames().forEachRemaining(names::add);
            names.remove("time");
            for (String n : names) {
                boolean same = n.equals("fieldsV1") && (b.get(n) != null && a.get(n) != null)
                        ? FieldsV1.read(b.get(n)).equals(FieldsV1.read(a.get(n)))
                        : Structure.same(b.path(n), a.path(n));
                if (!same) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean ownsAtOrBelow(FieldSet set, List<String> path) {
        return set.paths().stream().anyMatch(p -> p.size() >= path.size() && p.subList(0, path.size()).equals(path));
    }

    private record Conflict(Entry owner, List<String> path) {
    }

    /** conflict.go NewConflictError / getConflictMessage. */
    private static ApiException conflictError(List<Conflict> conflicts) {
        conflicts.sort(Comparator.comparing((Conflict c) -> c.owner().manager())
                .thenComparing(c -> c.owner().operation()).thenComparing(c -> FieldSet.render(c.path())));
        List<StatusCause> causes = conflicts.stream().map(c -> new StatusCause("FieldManagerConflict",
                "conflict with " + c.owner().printed(), FieldSet.render(c.path()))).toList();
        String message;
        if (conflicts.size() == 1) {
            message = "Apply failed with 1 conflict: conflict with " + conflicts.get(0).owner().printed() + ": "
                    + FieldSet.render(conflicts.get(0).path());
        } else {
            List<String> lines = new ArrayList<>();
            String current = null;
            for (Conflict c : conflicts) {
                if (!c.owner().printed().equals(current)) {
                    current = c.owner().printed();
                    lines.add("conflicts with " + current + ":");
                }
                lines.add("- " + FieldSet.render(c.path()));
            }
            message = "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
        }
        return new ApiException(Status.failure(409, "Conflict", message,
                new StatusDetails(null, null, null, null, causes, null)));
    }

    /**
     * The object without managedFields for reading only: shallow copies of the object and its metadata share
     * everything else with the original, so comparing a large pool copies nothing of its spec.
     */
    static ObjectNode view(JsonNode object) {
        ObjectNode copy = ((ObjectNode) object).objectNode();
        copy.setAll((ObjectNode) object);
        JsonNode metadata = copy.get("metadata");
        ObjectNode m = copy.objectNode();
        if (metadata instanceof ObjectNode original) {
            m.setAll(original);
            m.remove("managedFields");
        }
        copy.set("metadata", m);
        return copy;
    }

    static ObjectNode clean(JsonNode object) {
        ObjectNode copy = ((ObjectNode) object).deepCopy();
        JsonNode metadata = copy.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove("managedFields");
        } else {
            copy.putObject("metadata");
        }
        return copy;
    }

    List<Entry> decode(JsonNode managedFields) {
        List<Entry> out = new ArrayList<>();
        if (managedFields.isArray()) {
            for (JsonNode e : managedFields) {
                out.add(new Entry(e.path("manager").asText(), e.path("operation").asText(UPDATE),
                        e.path("apiVersion").asText(apiVersion), e.path("time").asText(null),
                        FieldSet.fromFieldsV1(e.path("fieldsV1"))));
            }
        }
        return out;
    }

    /** Writes the entries in kube's order (Apply before Update, then by time, manager, version); none → absent. */
    private static void write(ObjectNode metadata, List<Entry> entries) {
        List<Entry> kept = entries.stream().filter(e -> !e.fields().isEmpty())
                .sorted(Comparator.comparing(Entry::operation)
                        .thenComparing(e -> Objects.requireNonNullElse(e.time(), ""))
                        .thenComparing(Entry::manager).thenComparing(Entry::apiVersion))
                .toList();
        if (kept.isEmpty()) {
            metadata.remove("managedFields");
            return;
        }
        ArrayNode out = metadata.putArray("managedFields");
        for (Entry e : kept) {
            ObjectNode n = out.addObject();
            n.put("apiVersion", e.apiVersion()).put("fieldsType", "FieldsV1");
            n.set("fieldsV1", FieldsV1.node(e.fields()));
            n.put("manager", e.manager()).put("operation", e.operation());
            if (e.time() != null) {
                n.put("time", e.time());
            }
        }
    }

    private static String timestamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

}
