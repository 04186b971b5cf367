package dev.ippool.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Many watch streams from one HTTP client: each line handed to a callback, every stream cancellable at once. */
final class Watchers implements AutoCloseable {

    private final Http http;
    private final List<Flow.Subscription> open = new CopyOnWriteArrayList<>();
    private final AtomicLong broken = new AtomicLong();

    Watchers(Http http) {
        this.http = http;
    }

    /**
     * Opens {@code count} watches of {@code path}, at most {@code batch} connecting at a time; returns once every
     * one has its response head (the server has registered it).
     */
    void open(int count, int batch, String path, java.util.function.IntFunction<Consumer<String>> lines)
            throws InterruptedException {
        Semaphore connecting = new Semaphore(batch);
        for (int i = 0; i < count; i++) {
            connecting.acquire();
            Consumer<String> sink = lines.apply(i);
            http.client().sendAsync(http.request(path).build(), HttpResponse.BodyHandlers.fromLineSubscriber(
                    new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            open.add(s);
                            s.request(Long.MAX_VALUE);
                            connecting.release();
                        }

                        @Override
                        public void onNext(String line) {
                            sink.accept(line);
                        }

                        @Override
                        public void onError(Throwable t) {
                            broken.incrementAndGet();
                        }

                        @Override
                        public void onComplete() {
                            broken.incrementAndGet();
                        }
                    })).exceptionally(t -> {
                        broken.incrementAndGet();
                        connecting.release();
                        return null;
                    });
        }
        if (!connecting.tryAcquire(batch, Duration.ofSeconds(120).toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("watches did not all connect in 120 s");
        }
    }

    /** Streams that ended or failed while the benchmark still wanted them. */
    long broken() {
        return broken.get();
    }

    int size() {
        return open.size();
    }

    @Override
    public void close() {
        long before = broken.get();
        open.forEach(Flow.Subscription::cancel);
        open.clear();
        broken.set(before);
    }
}
