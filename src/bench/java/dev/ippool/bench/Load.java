package dev.ippool.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: {@code concurrency} workers each run the task back to back for a warm-up and then a
 * measured window. Each latency is measured from when the operation was due (the end of the previous one on that
 * worker), so a stalled server shows as latency rather than as fewer samples.
 */
final class Load {

    /** What one run measured. */
    record Outcome(double perSecond, double p50Millis, double p99Millis, long operations, long failures) {
    }

    /** One operation; returns false for a failure (counted, never hidden). */
    interface Op {
        boolean run(int worker) throws Exception;
    }

    private Load() {
    }

    static Outcome run(int concurrency, long warmupMillis, long measureMillis, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Recorder recorder = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean stop = new AtomicBoolean(false);
        AtomicLong ops = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit((Callable<Void>) () -> {
                long due = System.nanoTime();
                while (!stop.get()) {
                    boolean ok = op.run(worker);
                    long now = System.nanoTime();
                    if (measuring.get()) {
                        recorder.recordValue(Math.max(1, (now - due) / 1000));
                        ops.incrementAndGet();
                        if (!ok) {
                            failures.incrementAndGet();
                        }
                    }
                    due = now;
                }
                return null;
            }));
        }
        Thread.sleep(warmupMillis);
        recorder.getIntervalHistogram();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        var histogram = recorder.getIntervalHistogram();
        stop.set(true);
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        for (Future<?> f : workers) {
            f.get();
        }
        return new Outcome(ops.get() / (elapsed / 1e9), histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, ops.get(), failures.get());
    }
}
