package dev.ippool.apiserver.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a request asks to do, as kube's RequestInfoFactory reads it from the method and path: a resource request
 * (verb, API group and version, namespace, resource, name) or a non-resource path.
 */
public record RequestInfo(boolean resourceRequest, String verb, String apiGroup, String apiVersion,
        String namespace, String resource, String subresource, String name, String path) {

    /**
     * @param watch whether the query asks for a watch ({@code watch} true in kube's sense)
     */
    public static RequestInfo parse(String method, String path, boolean watch) {
        String lower = method.toLowerCase(java.util.Locale.ROOT);
        String nonResourceVerb = switch (lower) {
            case "head" -> "get";
            default -> lower;
        };
        RequestInfo nonResource = new RequestInfo(false, nonResourceVerb, "", "", "", "", "", "", path);
        List<String> parts = new ArrayList<>(Arrays.asList(trimSlashes(path).split("/")));
        String group;
        String version;
        if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            parts = parts.subList(3, parts.size());
        } else if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else {
            return nonResource;
        }
        if (parts.isEmpty()) {
            return nonResource;
        }
        boolean watchPath = parts.get(0).equals("watch");
        if (watchPath) {
            parts = parts.subList(1, parts.size());
        }
        String namespace = "";
        if (parts.size() >= 2 && parts.get(0).equals("namespaces") && parts.size() > 2) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else if (parts.size() == 2 && parts.get(0).equals("namespaces")) {
            // the namespace object itself: resource "namespaces" named by the path
            namespace = parts.get(1);
        }
        if (parts.isEmpty()) {
            return nonResource;
        }
        String resource = parts.get(0);
        String name = parts.size() > 1 ? parts.get(1) : "";
        String subresource = parts.size() > 2 ? parts.get(2) : "";
        String verb = switch (lower) {
            case "post" -> "create";
            case "put" -> "update";
            case "patch" -> "patch";
            case "delete" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> name.isEmpty() ? "list" : "get";
        };
        if ((watchPath || watch) && (verb.equals("list") || verb.equals("get"))) {
            verb = "watch";
        }
        return new RequestInfo(true, verb, group, version, namespace, resource, subresource, name, path);
    }

    public boolean mutating() {
        return !List.of("get", "list", "watch").contains(verb);
    }

    /** {@code path} without leading and trailing slashes (no regex: this runs for every request). */
    private static String trimSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }
}
