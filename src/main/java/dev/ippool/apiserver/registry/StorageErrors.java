package dev.ippool.apiserver.registry;

import dev.ippool.apiserver.api.ApiException;
import dev.ippool.apiserver.api.GroupResource;
import dev.ippool.apiserver.api.Status;
import dev.ippool.apiserver.api.StatusCause;
import dev.ippool.apiserver.api.StatusDetails;
import dev.ippool.apiserver.storage.Futures;
import dev.ippool.apiserver.storage.StorageException;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The one place where storage failures become API errors, per verb, as kube's
 * {@code storage/errors/storage.go} {@code InterpretXxxError} functions do.
 */
final class StorageErrors {

    static final String LIST_TOO_OLD = "The resourceVersion for the provided list is too old.";
    static final String CONTINUE_TOO_OLD = "The provided continue parameter is too old to display a consistent list"
            + " result. You can start a new list without the continue parameter, or use the continue token in this"
            + " response to retrieve the remainder of the results. Continuing with the provided token results in an"
            + " inconsistent list - objects that were created, modified, or deleted between the time the first chunk"
            + " was returned and now may show up in the list.";

    private StorageErrors() {
    }

    /**
     * @param operation kube's operation word for ServerTimeout: get, list, create, update, delete
     * @param name      the object's name, for NotFound / AlreadyExists / Conflict
     */
    static ApiException interpret(StorageException error, GroupResource resource, String operation, String name) {
        // Java 17 has no pattern switch; the family is sealed, so this chain is exhaustive.
        if (error instanceof StorageException.NotFound) {
            return ApiException.notFound(resource, name);
        }
        if (error instanceof StorageException.AlreadyExists) {
            return ApiException.alreadyExists(resource, name);
        }
        if (error instanceof StorageException.Conflict) {
            return ApiException.conflict(resource, name,
                    "the object has been modified; please apply your changes to the latest version and try again");
        }
        if (error instanceof StorageException.Compacted) {
            return ApiException.expired(LIST_TOO_OLD);
        }
        if (error instanceof StorageException.FutureRevision e) {
            return tooLargeResourceVersion(e.requested(), e.current());
        }
        if (error instanceof StorageException.TooLarge e) {
            // kube answers 500 here; a body etcd refuses for its size is the client's problem: 413.
            return ApiException.tooLarge("etcd refused the object: " + e.getMessage());
        }
        if (error instanceof StorageException.NotReady e) {
            return new ApiException(Status.failure(429, "TooManyRequests", e.getMessage(),
                    StatusDetails.empty().withRetryAfter(1)));
        }
        return ApiException.serverTimeout(resource, operation, 2);
    }

    /** 504 Timeout with the ResourceVersionTooLarge cause that client-go's reflector looks for. */
    /**
     * {@code stage} failing with {@link #interpret}'s API error instead of a storage error; a
     * {@link StorageException.Conflict} stays as it is, for the update path to retry or answer.
     */
    static <T> CompletionStage<T> interpreted(CompletionStage<T> stage, GroupResource resource, String operation,
            String name) {
        return stage.exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            return Futures.failed(cause instanceof StorageException e && !(e instanceof StorageException.Conflict)
                    ? interpret(e, resource, operation, name) : cause);
        });
    }

    static ApiException tooLargeResourceVersion(long requested, long current) {
        return new ApiException(Status.failure(504, "Timeout",
                "Timeout: Too large resource version: " + requested + ", current: " + current,
                new StatusDetails(null, null, null, null,
                        List.of(new StatusCause("ResourceVersionTooLarge", "Too large resource version", null)), 1)));
    }
}
