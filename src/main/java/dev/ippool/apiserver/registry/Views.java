package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.MetaViews.ColumnDefinition;
import dev.ippool.apiserver.api.MetaViews.ListMeta;
import dev.ippool.apiserver.api.MetaViews.ObjectMeta;
import dev.ippool.apiserver.api.MetaViews.PartialObjectMetadata;
import dev.ippool.apiserver.api.MetaViews.PartialObjectMetadataList;
import dev.ippool.apiserver.api.MetaViews.Row;
import dev.ippool.apiserver.api.MetaViews.Table;
import dev.ippool.apiserver.api.PrinterColumn;
import dev.ippool.apiserver.api.ResourceDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code meta.k8s.io} views of a resource's objects and lists, as kube's handlers transform responses
 * (handlers/response.go {@code asTable}, {@code asPartialObjectMetadata[List]}; the CRD table convertor).
 */
public final class Views {

    /** {@code TableOptions.includeObject}. */
    public enum Include { NONE, METADATA, OBJECT }

    static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating"
            + " resources, although some resources may allow a client to request the generation of an appropriate"
            + " name automatically. Name is primarily intended for creation idempotence and configuration"
            + " definition. Cannot be updated. More info:"
            + " https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private final ResourceDefinition definition;
    private final Clock clock;

    public Views(ResourceDefinition definition, Clock clock) {
        this.definition = definition;
        this.clock = clock;
    }

    /** {@code includeObject}: Metadata when absent; anything but None/Metadata/Object is a 400. */
    public static Include include(String value) {
        if (value == null || value.isEmpty() || value.equals("Metadata")) {
            return Include.METADATA;
        }
        if (value.equals("None")) {
            return Include.NONE;
        }
        if (value.equals("Object")) {
            return Include.OBJECT;
        }
        throw ApiException.badRequest(FieldError.notSupported("includeObject", value,
                List.of("Metadata", "None", "Object")).message());
    }

    public static boolean isList(JsonNode node) {
        return node.has("items") && node.path("kind").asText().endsWith("List");
    }

    public List<ColumnDefinition> columns() {
        List<ColumnDefinition> columns = new ArrayList<>();
        columns.add(new ColumnDefinition("Name", "string", "name", NAME_DESCRIPTION, 0));
        for (PrinterColumn c : definition.columns()) {
            columns.add(new ColumnDefinition(c.name(), c.type(), c.format(), c.description(), c.priority()));
        }
        return columns;
    }

    /** An object or a list as a Table; {@code withColumns} false for watch events after the first. */
    public Table table(JsonNode objectOrList, Include include, String metaVersion, boolean withColumns) {
        List<Row> rows = new ArrayList<>();
        ListMeta meta;
        if (isList(objectOrList)) {
            objectOrList.path("items").forEach(item -> rows.add(row(item, include, metaVersion)));
            meta = ListMeta.of(objectOrList.path("metadata"));
        } else {
            rows.add(row(objectOrList, include, metaVersion));
            meta = new ListMeta(objectOrList.path("metadata").path("resourceVersion").asText(null), null, null);
        }
        return new Table("Table", "meta.k8s.io/" + metaVersion, meta, withColumns ? columns() : null, rows);
    }

    private Row row(JsonNode object, Include include, String metaVersion) {
        List<Object> cells = new ArrayList<>();
        cells.add(object.path("metadata").path("name").asText());
        for (PrinterColumn c : definition.columns()) {
            Object value = c.value().apply(object);
            cells.add(c.type().equals("date") && value instanceof String s ? age(s) : value);
        }
        Object embedded = switch (include) {
            case NONE -> null;
            case OBJECT -> object;
            case METADATA -> partial(object, metaVersion);
        };
        return new Row(cells, embedded);
    }

    public PartialObjectMetadata partial(JsonNode object, String metaVersion) {
        return new PartialObjectMetadata("PartialObjectMetadata", "meta.k8s.io/" + metaVersion,
                ObjectMeta.of(object.path("metadata")));
    }

    public PartialObjectMetadataList partialList(JsonNode list, String metaVersion) {
        List<PartialObjectMetadata> items = new ArrayList<>();
        list.path("items").forEach(item -> items.add(partial(item, metaVersion)));
        return new PartialObjectMetadataList("PartialObjectMetadataList", "meta.k8s.io/" + metaVersion,
                ListMeta.of(list.path("metadata")), items);
    }

    /**
     * The view of each watch event's object for a client that asked {@code as} (null: the object itself).
     * Table events carry the column definitions only in the first event, as kube's watch encoder does; a
     * bookmark becomes an empty Table holding only its resourceVersion.
     */
    public EventView eventView(String as, String metaVersion, Include include) {
        if (as == null) {
            return EventView.OBJECT;
        }
        boolean table = as.equals("Table");
        String key = as + "/" + metaVersion + "/" + include;
        return new EventView() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public Object object(com.fasterxml.jackson.databind.node.ObjectNode object, boolean first) {
                return table ? table(object, include, metaVersion, first) : partial(object, metaVersion);
            }

            @Override
            public Object bookmark(com.fasterxml.jackson.databind.node.ObjectNode bookmark, boolean first) {
                if (!table) {
                    return partial(bookmark, metaVersion);
                }
                ListMeta meta = new ListMeta(bookmark.path("metadata").path("resourceVersion").asText(), null, null);
                return new Table("Table", "meta.k8s.io/" + metaVersion, meta, first ? columns() : null, null);
            }
        };
    }

    /** The date cell: ConvertToHumanReadableDateType. */
    private String age(String timestamp) {
        try {
            return humanDuration(Duration.between(Instant.parse(timestamp), clock.instant()));
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
    }

    /** apimachinery util/duration.HumanDuration: about 2-3 significant figures. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = hours / 24 % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
