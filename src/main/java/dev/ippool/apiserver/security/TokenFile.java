package dev.ippool.apiserver.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's {@code --token-auth-file}: CSV lines {@code token,user,uid[,"group1,group2"]}; blank lines
 * skipped. A line with fewer than three columns makes the whole file invalid (the previous one stays in force).
 */
public record TokenFile(Map<String, User> users) {

    public static TokenFile parse(String text) {
        Map<String, User> users = new HashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = csv(line);
            if (fields.size() < 3) {
                throw new IllegalArgumentException("token file line " + lineNumber
                        + ": needs at least 3 columns (token,user,uid)");
            }
            List<String> groups = new ArrayList<>();
            if (fields.size() > 3) {
                for (String g : fields.get(3).split(",")) {
                    if (!g.isBlank()) {
                        groups.add(g.trim());
                    }
                }
            }
            users.put(fields.get(0), User.authenticated(fields.get(1), fields.get(2), groups));
        }
        return new TokenFile(Map.copyOf(users));
    }

    /** encoding/csv with TrimLeadingSpace: commas split fields, double quotes group them ("" is a quote). */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean start = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (start && c == ' ' && !quoted) {
                continue;
            }
            start = false;
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                start = true;
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    public User find(String token) {
        return users.get(token);
    }
}
