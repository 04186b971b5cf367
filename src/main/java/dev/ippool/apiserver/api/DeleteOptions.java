package dev.ippool.apiserver.api;

import java.util.List;

/** {@code metav1.DeleteOptions}, from the body or, when the body is empty, from the query. */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
        Boolean orphanDependents, String propagationPolicy, List<String> dryRun) {

    public DeleteOptions {
        dryRun = dryRun == null ? List.of() : List.copyOf(dryRun);
    }

    public static DeleteOptions none() {
        return new DeleteOptions(null, null, null, null, null, List.of());
    }

    public boolean isDryRun() {
        return dryRun.contains("All");
    }
}
