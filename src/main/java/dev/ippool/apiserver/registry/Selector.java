package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector (the full syntax of k8s.io/apimachinery {@code labels.Parse}) and a field selector on the
 * two fields a custom resource supports, {@code metadata.name} and {@code metadata.namespace}.
 */
public record Selector(List<Predicate<ObjectNode>> requirements) {

    private static final Set<String> FIELD_LABELS = Set.of("metadata.name", "metadata.namespace");

    public Selector {
        requirements = List.copyOf(requirements);
    }

    public static Selector parse(String labelSelector, String fieldSelector) {
        List<Predicate<ObjectNode>> all = new ArrayList<>();
        if (labelSelector != null && !labelSelector.isBlank()) {
            new LabelParser(labelSelector).parse().forEach(all::add);
        }
        if (fieldSelector != null && !fieldSelector.isBlank()) {
            all.addAll(parseFields(fieldSelector));
        }
        return new Selector(all);
    }

    /** Whether the selector selects everything; only then does a list report remainingItemCount. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public boolean matches(ObjectNode object) {
        for (Predicate<ObjectNode> r : requirements) {
            if (!r.test(object)) {
                return false;
            }
        }
        return true;
    }

    private static List<Predicate<ObjectNode>> parseFields(String selector) {
        List<Predicate<ObjectNode>> out = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            String op;
            int at;
            if ((at = term.indexOf("!=")) >= 0) {
                op = "!=";
            } else if ((at = term.indexOf("==")) >= 0) {
                op = "==";
            } else if ((at = term.indexOf('=')) >= 0) {
                op = "=";
            } else {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + term + "'");
            }
            String field = term.substring(0, at).trim();
            String value = unescape(term.substring(at + op.length()).trim());
            if (!FIELD_LABELS.contains(field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
            String member = field.substring("metadata.".length());
            boolean equal = !op.equals("!=");
            out.add(o -> value.equals(o.path("metadata").path(member).asText("")) == equal);
        }
        return out;
    }

    /** Splits on commas that are not escaped with a backslash (fields.ParseSelector's escaping). */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '\\' && i + 1 < selector.length()) {
                current.append(c).append(selector.charAt(++i));
            } else if (c == ',') {
                terms.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        terms.add(current.toString());
        return terms;
    }

    private static String unescape(String value) {
        return value.replace("\\,", ",").replace("\\=", "=").replace("\\\\", "\\");
    }

    static String label(ObjectNode object, String key) {
        JsonNode v = object.path("metadata").path("labels").get(key);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
