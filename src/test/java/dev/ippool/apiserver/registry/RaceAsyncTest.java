package dev.ippool.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link RaceTest}'s races with every attempt handed to the offload executor, as a large pool's are (a bound of 0
 * bytes makes each pool large), and every step after etcd's answer resumed on it, as on a request's event loop:
 * the chain moves between the caller, etcd's completion threads and the executor.
 */
class RaceAsyncTest extends RaceTest {

    private final AtomicInteger offloaded = new AtomicInteger();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "home"));

    @AfterEach
    void offloadedEveryTime() {
        executor.shutdownNow();
        assertThat(offloaded.get()).as("attempts ran on the offload executor").isPositive();
    }

    @Override
    Offload offload() {
        java.util.concurrent.Executor counted = task -> {
            offloaded.incrementAndGet();
            executor.execute(task);
        };
        return new Offload(counted, 0, counted);
    }
}
