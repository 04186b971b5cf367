package dev.ippool.apiserver.api;

import java.util.List;

/**
 * The query options of create, update and patch ({@code CreateOptions}, {@code UpdateOptions},
 * {@code PatchOptions}), and the request's User-Agent, which names the field manager when the client gives none.
 */
public record WriteOptions(List<String> dryRun, String fieldValidation, String fieldManager, Boolean force,
        String userAgent) {

    public WriteOptions {
        dryRun = dryRun == null ? List.of() : List.copyOf(dryRun);
        fieldValidation = fieldValidation == null ? "" : fieldValidation;
        fieldManager = fieldManager == null ? "" : fieldManager;
        userAgent = userAgent == null ? "" : userAgent;
    }

    public static WriteOptions none() {
        return new WriteOptions(List.of(), "", "", null, "");
    }

    public WriteOptions withUserAgent(String agent) {
        return new WriteOptions(dryRun, fieldValidation, fieldManager, force, agent);
    }

    public boolean isDryRun() {
        return dryRun.contains("All");
    }

    /** kube's managerOrUserAgent: the fieldManager, else the User-Agent up to its first "/" (128 at most). */
    public String manager() {
        if (!fieldManager.isEmpty()) {
            return fieldManager;
        }
        String prefix = userAgent.split("/", 2)[0];
        return prefix.length() > 128 ? prefix.substring(0, 128) : prefix;
    }
}
