package dev.ippool.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load: {@code concurrency} workers each start the next operation as soon as the previous one
 * completed, for a warm-up and then a measured window. Operations are asynchronous (jetcd's and Vert.x's
 * futures), so a few generator threads keep hundreds in flight. Each latency is measured from when the operation
 * was due (the end of the previous one on that worker), so a stalled server shows as latency rather than as
 * fewer samples.
 */
final class Load {

    /** What one run measured. */
    record Outcome(double perSecond, double p50Millis, double p99Millis, long operations, long failures) {
    }

    /** One operation; completes with false (or exceptionally) for a failure, which is counted, never hidden. */
    interface Op {
        CompletionStage<Boolean> run(int worker);
    }

    /** What each worker runs in turn: one operation, or {@link #alternate}'s several. */
    private final Op[] turns;
    /** Per turn: its latencies, operations and failures. */
    private final Recorder[] recorders;
    private final AtomicLong[] ops;
    private final AtomicLong[] failures;
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch done;
    private final int[] depth;
    /** Per worker: how many operations it has started, which picks its next turn. */
    private final long[] started;
    /** Runs the next operation when the previous one completed inline, so the stack never grows. */
    private final ExecutorService trampoline = Executors.newSingleThreadExecutor();

    private Load(int concurrency, Op... turns) {
        this.turns = turns;
        this.recorders = new Recorder[turns.length];
        this.ops = new AtomicLong[turns.length];
        this.failures = new AtomicLong[turns.length];
        for (int t = 0; t < turns.length; t++) {
            recorders[t] = new Recorder(3);
            ops[t] = new AtomicLong();
            failures[t] = new AtomicLong();
        }
        this.done = new CountDownLatch(concurrency);
        this.depth = new int[concurrency];
        this.started = new long[concurrency];
    }

    static Outcome run(int concurrency, long warmupMillis, long measureMillis, Op op) throws Exception {
        return new Load(concurrency, op).measure(warmupMillis, measureMillis)[0];
    }

    /**
     * One worker running {@code turns} one after another (operation n is {@code turns[n % turns.length]}), each
     * one's outcome apart: serial latencies of several servers taken under the same conditions. Taken minutes
     * apart, they also measure how the machine's speed drifted in between.
     */
    static Outcome[] alternate(long warmupMillis, long measureMillis, Op... turns) throws Exception {
        return new Load(1, turns).measure(warmupMillis, measureMillis);
    }

    private Outcome[] measure(long warmupMillis, long measureMillis) throws Exception {
        for (int w = 0; w < depth.length; w++) {
            next(w, System.nanoTime());
        }
        Thread.sleep(warmupMillis);
        for (Recorder r : recorders) {
            r.getIntervalHistogram();
        }
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        Outcome[] outcomes = new Outcome[turns.length];
        for (int t = 0; t < turns.length; t++) {
            var histogram = recorders[t].getIntervalHistogram();
            outcomes[t] = new Outcome(ops[t].get() / (elapsed / 1e9), histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, ops[t].get(), failures[t].get());
        }
        stop.set(true);
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("operations still running 120 s after the measured window");
        }
        trampoline.shutdown();
        return outcomes;
    }

    private void next(int worker, long due) {
        CompletionStage<Boolean> stage;
        int turn;
        synchronized (depth) {
            depth[worker]++;
            turn = (int) (started[worker]++ % turns.length);
        }
        try {
            stage = turns[turn].run(worker);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ok, error) -> {
            long now = System.nanoTime();
            if (measuring.get()) {
                recorders[turn].recordValue(Math.max(1, (now - due) / 1000));
                ops[turn].incrementAndGet();
                if (error != null || !Boolean.TRUE.equals(ok)) {
                    failures[turn].incrementAndGet();
                }
            }
            if (stop.get()) {
                done.countDown();
                return;
            }
            boolean inline;
            synchronized (depth) {
                inline = depth[worker] > 0;
            }
            if (inline) {
                trampoline.execute(() -> next(worker, now));
            } else {
                next(worker, now);
            }
        });
        synchronized (depth) {
            depth[worker]--;
        }
    }
}
