package dev.ippool.apiserver.storage.etcd;

import dev.ippool.apiserver.storage.StorageException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Turns what jetcd and gRPC throw into the {@link StorageException} family. */
final class EtcdErrors {

    private EtcdErrors() {
    }

    static StorageException translate(String operation, long revision, Throwable error) {
        String message = String.valueOf(error.getMessage());
        if (message.contains("required revision has been compacted")) {
            return new StorageException.Compacted(revision, error);
        }
        if (message.contains("required revision is a future revision")) {
            return new StorageException.FutureRevision(revision, 0);
        }
        // etcd's --max-request-bytes answers "request is too large"; past gRPC's own receive limit the server
        // answers RESOURCE_EXHAUSTED before etcd sees the request. Only a write can be too large for etcd: a
        // read over our inbound limit is our configuration, not the client's request.
        boolean write = !operation.equals("get") && !operation.equals("list");
        boolean exhausted = error instanceof StatusRuntimeException grpc
                && grpc.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED;
        if (write && (message.contains("request is too large") || message.contains("larger than max") || exhausted)) {
            return new StorageException.TooLarge(message, error);
        }
        if (error instanceof EtcdException || error instanceof StatusRuntimeException) {
            return new StorageException.Unavailable("etcd " + operation + " failed: " + message, error);
        }
        return new StorageException.Unavailable("etcd " + operation + " failed: " + error, error);
    }
}
