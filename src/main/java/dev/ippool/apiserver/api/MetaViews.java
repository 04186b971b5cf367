package dev.ippool.apiserver.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The {@code meta.k8s.io} views of objects: Table and PartialObjectMetadata(List). Typed in kube, so written in
 * the Go structs' field order; the objects inside stay as stored (sorted keys).
 */
public final class MetaViews {

    private MetaViews() {
    }

    /** {@code metav1.ObjectMeta} in struct order; {@code creationTimestamp} has no omitempty. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields"})
    public record ObjectMeta(JsonNode name, JsonNode generateName, JsonNode namespace, JsonNode selfLink,
            JsonNode uid, JsonNode resourceVersion, JsonNode generation,
            @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode creationTimestamp, JsonNode deletionTimestamp,
            JsonNode deletionGracePeriodSeconds, JsonNode labels, JsonNode annotations, JsonNode ownerReferences,
            JsonNode finalizers, JsonNode managedFields) {

        public static ObjectMeta of(JsonNode m) {
            return new ObjectMeta(m.get("name"), m.get("generateName"), m.get("namespace"), m.get("selfLink"),
                    m.get("uid"), m.get("resourceVersion"), m.get("generation"), m.get("creationTimestamp"),
                    m.get("deletionTimestamp"), m.get("deletionGracePeriodSeconds"), m.get("labels"),
                    m.get("annotations"), m.get("ownerReferences"), m.get("finalizers"), m.get("managedFields"));
        }
    }

    /** {@code metav1.ListMeta}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"resourceVersion", "continue", "remainingItemCount"})
    public record ListMeta(String resourceVersion, @com.fasterxml.jackson.annotation.JsonProperty("continue")
            String continueToken, Long remainingItemCount) {

        public static ListMeta of(JsonNode m) {
            return new ListMeta(m.path("resourceVersion").asText(null), m.path("continue").asText(null),
                    m.has("remainingItemCount") ? m.get("remainingItemCount").asLong() : null);
        }
    }

    @JsonPropertyOrder({"kind", "apiVersion", "metadata"})
    public record PartialObjectMetadata(String kind, String apiVersion, ObjectMeta metadata) {
    }

    @JsonPropertyOrder({"kind", "apiVersion", "metadata", "items"})
    public record PartialObjectMetadataList(String kind, String apiVersion, ListMeta metadata,
            List<PartialObjectMetadata> items) {
    }

    @JsonPropertyOrder({"name", "type", "format", "description", "priority"})
    public record ColumnDefinition(String name, String type, String format, String description, int priority) {
    }

    /** {@code object} is null for includeObject=None, which Go writes as {@code null}. */
    @JsonPropertyOrder({"cells", "object"})
    public record Row(List<Object> cells, Object object) {
    }

    /** {@code columnDefinitions} is null in watch events after the first, as kube sends it. */
    @JsonPropertyOrder({"kind", "apiVersion", "metadata", "columnDefinitions", "rows"})
    public record Table(String kind, String apiVersion, ListMeta metadata, List<ColumnDefinition> columnDefinitions,
            List<Row> rows) {
    }
}
