package dev.ippool.apiserver.storage;

/** An open watch; closing it releases everything the watch holds. Idempotent. */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
