package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link RaceTest}'s races with blocking reads and every step after etcd's answer on one counting executor, as a
 * worker pool takes them: the chain moves between the caller, etcd's completion threads and the executor.
 */
class RaceAsyncTest extends RaceTest {

    private final AtomicInteger offloaded = new AtomicInteger();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "home"));

    @AfterEach
    void offloadedEveryTime() {
        executor.shutdownNow();
        assertThat(offloaded.get()).as("steps ran on the offload executor").isPositive();
    }

    @Override
    Offload offload() {
        java.util.concurrent.Executor counted = task -> {
            offloaded.incrementAndGet();
            executor.execute(task);
        };
        return new Offload(counted, counted);
    }
}
