package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A decoded request body.
 *
 * @param value      the JSON tree (from JSON or YAML)
 * @param duplicates paths of members that appeared more than once (the last one wins, as in Go)
 */
public record Body(JsonNode value, List<String> duplicates) {

    public Body {
        duplicates = List.copyOf(duplicates);
    }
}
