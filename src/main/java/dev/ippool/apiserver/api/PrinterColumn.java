package dev.ippool.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * One column of the Table view, as a CRD's {@code additionalPrinterColumns} declares it; the value is computed
 * from the object (a function rather than a JSONPath, so a column can count a map's entries).
 *
 * @param name        column header, e.g. {@code Range} (kubectl prints it upper-cased)
 * @param type        OpenAPI type: string, integer, number, boolean or date
 * @param format      optional OpenAPI format ({@code name} for the name column)
 * @param description what the column shows
 * @param priority    0 for the default view, higher for {@code -o wide}
 * @param value       the cell: a String, Number or Boolean, or null for none; for {@code date} the timestamp
 */
public record PrinterColumn(String name, String type, String format, String description, int priority,
        Function<JsonNode, Object> value) {
}
