package dev.ippool.apiserver.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The request parameters kube documents, by name, with its types and (shortened) descriptions. */
final class Parameters {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private record Param(String type, String description) {
    }

    private static final Map<String, Param> QUERY = Map.ofEntries(
            Map.entry("allowWatchBookmarks", new Param("boolean", "allowWatchBookmarks requests watch events with"
                    + " type \"BOOKMARK\".")),
            Map.entry("continue", new Param("string", "The continue option should be set when retrieving more"
                    + " results from the server.")),
            Map.entry("dryRun", new Param("string", "When present, indicates that modifications should not be"
                    + " persisted. Valid values are: - All: all dry run stages will be processed")),
            Map.entry("fieldManager", new Param("string", "fieldManager is a name associated with the actor or"
                    + " entity that is making these changes.")),
            Map.entry("fieldSelector", new Param("string", "A selector to restrict the list of returned objects by"
                    + " their fields. Defaults to everything.")),
            Map.entry("fieldValidation", new Param("string", "fieldValidation instructs the server on how to handle"
                    + " objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values"
                    + " are: - Ignore - Warn (the default) - Strict")),
            Map.entry("force", new Param("boolean", "Force is going to \"force\" Apply requests. It means user will"
                    + " re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply"
                    + " patch requests.")),
            Map.entry("gracePeriodSeconds", new Param("integer", "The duration in seconds before the object should"
                    + " be deleted.")),
            Map.entry("ignoreStoreReadErrorWithClusterBreakingPotential", new Param("boolean", "if set to true, it"
                    + " will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a"
                    + " corrupt object error.")),
            Map.entry("labelSelector", new Param("string", "A selector to restrict the list of returned objects by"
                    + " their labels. Defaults to everything.")),
            Map.entry("limit", new Param("integer", "limit is a maximum number of responses to return for a list"
                    + " call.")),
            Map.entry("orphanDependents", new Param("boolean", "Deprecated: please use the PropagationPolicy.")),
            Map.entry("propagationPolicy", new Param("string", "Whether and how garbage collection will be"
                    + " performed.")),
            Map.entry("resourceVersion", new Param("string", "resourceVersion sets a constraint on what resource"
                    + " versions a request may be served from.")),
            Map.entry("resourceVersionMatch", new Param("string", "resourceVersionMatch determines how"
                    + " resourceVersion is applied to list calls.")),
            Map.entry("sendInitialEvents", new Param("boolean", "`sendInitialEvents=true` may be set together with"
                    + " `watch=true`.")),
            Map.entry("timeoutSeconds", new Param("integer", "Timeout for the list/watch call.")),
            Map.entry("watch", new Param("boolean", "Watch for changes to the described resources and return them as"
                    + " a stream of add, update, and remove notifications.")),
            Map.entry("pretty", new Param("string", "If 'true', then the output is pretty printed.")));

    private Parameters() {
    }

    static ArrayNode query(List<String> names) {
        ArrayNode out = F.arrayNode();
        names.forEach(n -> out.add(param(n, "query", QUERY.get(n))));
        return out;
    }

    /** The path-level parameters: {@code name} and {@code namespace} in the path, {@code pretty} in the query. */
    static ArrayNode path(String... names) {
        ArrayNode out = F.arrayNode();
        for (String n : names) {
            switch (n) {
                case "name" -> out.add(param(n, "path", new Param("string", "name of the resource"))
                        .put("required", true));
                case "namespace" -> out.add(param(n, "path", new Param("string", "object name and auth scope, such"
                        + " as for teams and projects")).put("required", true));
                default -> out.add(param(n, "query", QUERY.get(n)));
            }
        }
        return out;
    }

    private static ObjectNode param(String name, String in, Param p) {
        ObjectNode n = F.objectNode().put("name", name).put("in", in).put("description", p.description());
        n.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return n;
    }
}
