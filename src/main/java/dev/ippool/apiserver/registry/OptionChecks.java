package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.DeleteOptions;
import dev.ippool.apiserver.api.FieldError;
import dev.ippool.apiserver.api.ListOptions;
import dev.ippool.apiserver.api.WriteOptions;
import java.util.ArrayList;
import java.util.List;

/** Validation of query options, with the 422 texts of apimachinery's {@code meta/v1/validation}. */
final class OptionChecks {

    private static final List<String> FIELD_VALIDATION = List.of("", "Ignore", "Strict", "Warn");
    private static final List<String> PROPAGATION = List.of("Foreground", "Background", "Orphan", "nil");

    private OptionChecks() {
    }

    /**
     * @param optionsKind CreateOptions, UpdateOptions or PatchOptions
     * @param apply       whether this is a server-side apply patch (only apply may carry {@code force})
     */
    static void write(String optionsKind, WriteOptions options, boolean apply) {
        List<FieldError> errs = new ArrayList<>();
        dryRun(options.dryRun(), errs);
        if (options.fieldManager().length() > 128) {
            errs.add(new FieldError(FieldError.Type.TOO_LONG, "fieldManager", options.fieldManager(),
                    "may not be more than 128 bytes"));
        }
        for (int i = 0; i < options.fieldManager().length(); i++) {
            char c = options.fieldManager().charAt(i);
            if (Character.isISOControl(c)) {
                errs.add(FieldError.invalid("fieldManager", options.fieldManager(),
                        String.format("invalid character U+%04X (at position %d)", (int) c, i)));
            }
        }
        if (!FIELD_VALIDATION.contains(options.fieldValidation())) {
            errs.add(FieldError.notSupported("fieldValidation", options.fieldValidation(), FIELD_VALIDATION));
        }
        if (!apply && options.force() != null) {
            errs.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
        }
        if (!errs.isEmpty()) {
            throw ApiException.invalidOptions(optionsKind, errs);
        }
    }

    static void delete(DeleteOptions options) {
        List<FieldError> errs = new ArrayList<>();
        if (options.orphanDependents() != null && options.propagationPolicy() != null) {
            errs.add(FieldError.invalid("propagationPolicy", options.propagationPolicy(),
                    "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (options.propagationPolicy() != null && !PROPAGATION.subList(0, 3).contains(options.propagationPolicy())) {
            errs.add(FieldError.notSupported("propagationPolicy", options.propagationPolicy(), PROPAGATION));
        }
        dryRun(options.dryRun(), errs);
        if (options.gracePeriodSeconds() != null && options.gracePeriodSeconds() < 0) {
            errs.add(FieldError.invalid("gracePeriodSeconds", options.gracePeriodSeconds(),
                    "must be greater than or equal to 0"));
        }
        if (!errs.isEmpty()) {
            throw ApiException.invalidOptions("DeleteOptions", errs);
        }
    }

    /** {@code ValidateListOptions} for a list (not a watch). */
    static void list(ListOptions options) {
        List<FieldError> errs = new ArrayList<>();
        String match = options.resourceVersionMatch();
        if (!match.isEmpty()) {
            if (options.resourceVersion().isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (!options.continueToken().isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                errs.add(FieldError.notSupported("resourceVersionMatch", match,
                        List.of("Exact", "NotOlderThan", "")));
            }
            if (match.equals("Exact") && options.resourceVersion().equals("0")) {
                errs.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (options.sendInitialEvents() != null) {
            errs.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        if (!errs.isEmpty()) {
            throw ApiException.invalidOptions("ListOptions", errs);
        }
    }

    /** {@code ValidateListOptions} for a watch (the WatchList feature is on, as in kube 1.32). */
    static void watch(ListOptions options) {
        List<FieldError> errs = new ArrayList<>();
        String match = options.resourceVersionMatch();
        if (options.sendInitialEvents() != null && !match.equals("NotOlderThan")) {
            errs.add(FieldError.forbidden("resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (!match.isEmpty()) {
            if (options.sendInitialEvents() == null) {
                errs.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals("NotOlderThan")) {
                errs.add(FieldError.notSupported("resourceVersionMatch", match, List.of("NotOlderThan")));
            }
            if (!options.continueToken().isEmpty()) {
                errs.add(FieldError.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        if (!errs.isEmpty()) {
            throw ApiException.invalidOptions("ListOptions", errs);
        }
    }

    private static void dryRun(List<String> dryRun, List<FieldError> errs) {
        for (String value : dryRun) {
            if (!value.equals("All")) {
                errs.add(FieldError.notSupported("dryRun", dryRun, List.of("All")));
                return;
            }
        }
    }

    /** A resourceVersion query value: "" and "0" are 0; anything but a number is a 400. */
    static long resourceVersion(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        try {
            long rv = Long.parseUnsignedLong(value);
            if (rv < 0) {
                throw new NumberFormatException();
            }
            return rv;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion: Invalid value: " + FieldError.quote(value)
                    + ": strconv.ParseUint: parsing " + FieldError.quote(value) + ": invalid syntax");
        }
    }
}
