package dev.ippool.apiserver.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes RBAC over Role, ClusterRole, RoleBinding and ClusterRoleBinding objects read from YAML, evaluated as
 * kube's RBAC authorizer does: a ClusterRoleBinding grants its ClusterRole's rules everywhere, a RoleBinding grants
 * its Role's (or a ClusterRole's) rules in its own namespace; {@code system:masters} may do everything.
 */
public final class Rbac {

    record Rule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
            List<String> nonResourceURLs) {

        boolean allows(RequestInfo r) {
            if (!has(verbs, r.verb())) {
                return false;
            }
            if (!r.resourceRequest()) {
                return nonResourceURLs.stream().anyMatch(u -> u.equals("*") || u.equals(r.path())
                        || (u.endsWith("*") && r.path().startsWith(u.substring(0, u.length() - 1))));
            }
            String resource = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
            return has(apiGroups, r.apiGroup()) && has(resources, resource)
                    && (resourceNames.isEmpty() || resourceNames.contains(r.name()));
        }

        private static boolean has(List<String> values, String value) {
            return values.contains("*") || values.contains(value);
        }
    }

    record Subject(String kind, String name, String namespace) {
        boolean matches(User user, String bindingNamespace) {
            return switch (kind) {
                case "User" -> user.name().equals(name);
                case "Group" -> user.groups().contains(name);
                case "ServiceAccount" -> user.name().equals("system:serviceaccount:"
                        + (namespace.isEmpty() ? bindingNamespace : namespace) + ":" + name);
                default -> false;
            };
        }
    }

    /** A binding: its namespace ("" for a ClusterRoleBinding), what it refers to, and to whom. */
    record Binding(String namespace, String roleKind, String roleName, List<Subject> subjects) {
    }

    private final Map<String, List<Rule>> clusterRoles;
    /** "namespace/name" → rules. */
    private final Map<String, List<Rule>> roles;
    private final List<Binding> bindings;

    private Rbac(Map<String, List<Rule>> clusterRoles, Map<String, List<Rule>> roles, List<Binding> bindings) {
        this.clusterRoles = clusterRoles;
        this.roles = roles;
        this.bindings = bindings;
    }

    /** Everything in every {@code ---}-separated document; a {@code List} (kubectl get -o yaml) is opened up. */
    public static Rbac parse(String yaml, ObjectMapper yamlMapper) {
        Map<String, List<Rule>> clusterRoles = new HashMap<>();
        Map<String, List<Rule>> roles = new HashMap<>();
        List<Binding> bindings = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = yamlMapper.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (doc.path("kind").asText().equals("List")) {
                    doc.path("items").forEach(objects::add);
                } else {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("RBAC file: " + e.getMessage(), e);
        }
        for (JsonNode o : objects) {
            String kind = o.path("kind").asText();
            String name = o.path("metadata").path("name").asText();
            String ns = o.path("metadata").path("namespace").asText("");
            switch (kind) {
                case "ClusterRole" -> clusterRoles.put(name, rules(o));
                case "Role" -> roles.put(ns + "/" + name, rules(o));
                case "ClusterRoleBinding", "RoleBinding" -> {
                    List<Subject> subjects = new ArrayList<>();
                    o.path("subjects").forEach(s -> subjects.add(new Subject(s.path("kind").asText(),
                            s.path("name").asText(), s.path("namespace").asText(""))));
                    bindings.add(new Binding(kind.equals("RoleBinding") ? ns : "",
                            o.path("roleRef").path("kind").asText(), o.path("roleRef").path("name").asText(),
                            subjects));
                }
                default -> throw new IllegalArgumentException("RBAC file: unexpected kind " + kind
                        + " (Role, ClusterRole, RoleBinding, ClusterRoleBinding or List)");
            }
        }
        return new Rbac(clusterRoles, roles, bindings);
    }

    private static List<Rule> rules(JsonNode role) {
        List<Rule> out = new ArrayList<>();
        role.path("rules").forEach(r -> out.add(new Rule(strings(r.path("verbs")), strings(r.path("apiGroups")),
                strings(r.path("resources")), strings(r.path("resourceNames")), strings(r.path("nonResourceURLs")))));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    public boolean allows(User user, RequestInfo request) {
        if (user.groups().contains(User.MASTERS)) {
            return true;
        }
        for (Binding b : bindings) {
            boolean applies = b.namespace().isEmpty() || (request.resourceRequest()
                    && b.namespace().equals(request.namespace()));
            if (!applies || b.subjects().stream().noneMatch(s -> s.matches(user, b.namespace()))) {
                continue;
            }
            List<Rule> rules = b.roleKind().equals("ClusterRole") ? clusterRoles.get(b.roleName())
                    : roles.get(b.namespace() + "/" + b.roleName());
            if (rules != null && rules.stream().anyMatch(r -> r.allows(request))) {
                return true;
            }
        }
        return false;
    }
}
