package dev.ippool.apiserver.api;

import java.util.List;

/** The query options of create, update and patch ({@code CreateOptions}, {@code UpdateOptions}, {@code PatchOptions}). */
public record WriteOptions(List<String> dryRun, String fieldValidation, String fieldManager, Boolean force) {

    public WriteOptions {
        dryRun = dryRun == null ? List.of() : List.copyOf(dryRun);
        fieldValidation = fieldValidation == null ? "" : fieldValidation;
        fieldManager = fieldManager == null ? "" : fieldManager;
    }

    public static WriteOptions none() {
        return new WriteOptions(List.of(), "", "", null);
    }

    public boolean isDryRun() {
        return dryRun.contains("All");
    }
}
