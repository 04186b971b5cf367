package dev.ippool.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ippool.apiserver.api.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A small recursive-descent parser for label selectors: {@code k}, {@code !k}, {@code k=v}, {@code k==v},
 * {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k>1}, {@code k<1}, joined by commas.
 */
final class LabelParser {

    private final String input;
    private int pos;

    LabelParser(String input) {
        this.input = input;
    }

    List<Predicate<ObjectNode>> parse() {
        List<Predicate<ObjectNode>> out = new ArrayList<>();
        while (true) {
            out.add(requirement());
            skipSpaces();
            if (pos >= input.length()) {
                return out;
            }
            expect(',');
        }
    }

    private Predicate<ObjectNode> requirement() {
        skipSpaces();
        if (peek() == '!') {
            pos++;
            String key = key();
            return o -> Selector.label(o, key) == null;
        }
        String key = key();
        skipSpaces();
        if (pos >= input.length() || peek() == ',') {
            return o -> Selector.label(o, key) != null;
        }
        if (input.startsWith("==", pos) || input.startsWith("!=", pos)) {
            boolean equal = input.charAt(pos) == '=';
            pos += 2;
            String value = value(key);
            return equal ? o -> value.equals(Selector.label(o, key)) : o -> !value.equals(Selector.label(o, key));
        }
        char c = peek();
        if (c == '=') {
            pos++;
            String value = value(key);
            return o -> value.equals(Selector.label(o, key));
        }
        if (c == '>' || c == '<') {
            pos++;
            String raw = value(key);
            long bound;
            try {
                bound = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw fail("for 'Gt', 'Lt' operators, the value must be an integer");
            }
            boolean greater = c == '>';
            return o -> {
                String v = Selector.label(o, key);
                try {
                    return v != null && (greater ? Long.parseLong(v) > bound : Long.parseLong(v) < bound);
                } catch (NumberFormatException e) {
                    return false;
                }
            };
        }
        String word = word();
        if (word.equals("in") || word.equals("notin")) {
            Set<String> values = set(key);
            boolean in = word.equals("in");
            return o -> {
                String v = Selector.label(o, key);
                return in ? v != null && values.contains(v) : v == null || !values.contains(v);
            };
        }
        throw fail("found '" + word + "', expected: in, notin, =, ==, !=, gt, lt");
    }

    private Set<String> set(String key) {
        skipSpaces();
        expect('(');
        Set<String> values = new LinkedHashSet<>();
        while (true) {
            skipSpaces();
            values.add(value(key));
            skipSpaces();
            if (peek() == ')') {
                pos++;
                return values;
            }
            expect(',');
        }
    }

    private String key() {
        skipSpaces();
        String key = word();
        if (key.isEmpty()) {
            throw fail("found '" + (pos < input.length() ? String.valueOf(peek()) : "") + "', expected: identifier");
        }
        List<String> errs = Names.qualifiedName(key);
        if (!errs.isEmpty()) {
            throw fail("key: Invalid value: \"" + key + "\": " + String.join("; ", errs));
        }
        return key;
    }

    private String value(String key) {
        skipSpaces();
        String value = word();
        List<String> errs = Names.labelValue(value);
        if (!errs.isEmpty()) {
            throw fail("values[0][" + key + "]: Invalid value: \"" + value + "\": " + String.join("; ", errs));
        }
        return value;
    }

    private String word() {
        int start = pos;
        while (pos < input.length() && " ,()=!<>".indexOf(input.charAt(pos)) < 0) {
            pos++;
        }
        return input.substring(start, pos);
    }

    private void expect(char c) {
        if (pos >= input.length() || input.charAt(pos) != c) {
            throw fail("expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    private char peek() {
        return pos < input.length() ? input.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < input.length() && input.charAt(pos) == ' ') {
            pos++;
        }
    }

    private ApiException fail(String detail) {
        return ApiException.badRequest("unable to parse requirement: " + detail);
    }
}
