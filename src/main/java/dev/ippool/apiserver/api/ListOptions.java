package dev.ippool.apiserver.api;

/**
 * {@code metav1.ListOptions} as parsed from the query, raw: the registry validates them as kube does.
 *
 * @param limit 0 when absent
 */
public record ListOptions(String labelSelector, String fieldSelector, String resourceVersion,
        String resourceVersionMatch, long limit, String continueToken, boolean watch, Boolean sendInitialEvents,
        boolean allowWatchBookmarks, Long timeoutSeconds) {

    public ListOptions {
        labelSelector = nullToEmpty(labelSelector);
        fieldSelector = nullToEmpty(fieldSelector);
        resourceVersion = nullToEmpty(resourceVersion);
        resourceVersionMatch = nullToEmpty(resourceVersionMatch);
        continueToken = nullToEmpty(continueToken);
    }

    public static ListOptions none() {
        return new ListOptions("", "", "", "", 0, "", false, null, false, null);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
