package dev.ippool.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
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

    private final Op op;
    private final Recorder recorder = new Recorder(3);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong ops = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch done;
    private final int[] depth;
    /** The measured window's latencies (µs), once {@link #measure} has returned. */
    private Histogram measured;
    /** The measured window's length, once {@link #measure} has returned. */
    private double measuredSeconds;
    /** Runs the next operation when the previous one completed inline, so the stack never grows. */
    private final ExecutorService trampoline = Executors.newSingleThreadExecutor();

    private Load(int concurrency, Op op) {
        this.op = op;
        this.done = new CountDownLatch(concurrency);
        this.depth = new int[concurrency];
    }

    /** {@code op} {@code times} in a row as one operation, successful when each was. */
    static Op repeated(Op op, int times) {
        return w -> {
            CompletionStage<Boolean> chain = op.run(w);
            for (int i = 1; i < times; i++) {
                chain = chain.thenCompose(ok -> op.run(w).thenApply(next -> ok && next));
            }
            return chain;
        };
    }

    static Outcome run(int concurrency, long warmupMillis, long measureMillis, Op op) throws Exception {
        return new Load(concurrency, op).measure(warmupMillis, measureMillis);
    }

    /** One load's share of an interleaved run: its operation, and what runs around each of its blocks. */
    record Turn(Op op, Runnable beforeBlock, Runnable afterBlock) {
        Turn(Op op) {
            this(op, () -> { }, () -> { });
        }

        /** A turn whose blocks {@code cpu} measures, and only those. */
        static Turn measured(Op op, Cpu cpu) {
            return new Turn(op, cpu::resume, cpu::pause);
        }
    }

    /**
     * Serial latencies of several servers taken under the same conditions: after a warm-up of each, {@code turns}
     * run one after another in blocks of {@code blockMillis}, one operation at a time, for {@code rounds} rounds;
     * each turn's outcome covers its blocks. Taken one after the other, minutes apart, they also measured how the
     * machine's speed drifted in between. Within a block the operations run back to back, as in {@link #run}: a
     * serial latency, not that of a process woken cold for every operation.
     */
    static Outcome[] interleave(long warmupMillis, long blockMillis, int rounds, Op... turns) throws Exception {
        Turn[] plain = new Turn[turns.length];
        for (int t = 0; t < turns.length; t++) {
            plain[t] = new Turn(turns[t]);
        }
        return interleave(1, warmupMillis, 0, blockMillis, rounds, plain);
    }

    /**
     * {@link #interleave(long, long, int, Op...)} with {@code concurrency} in flight: each block first runs
     * {@code blockWarmupMillis} unmeasured, so the measured part starts once the previous turn's requests (and
     * what they left a server doing) are over.
     */
    static Outcome[] interleave(int concurrency, long warmupMillis, long blockWarmupMillis, long blockMillis,
            int rounds, Turn... turns) throws Exception {
        for (Turn turn : turns) {
            run(concurrency, 0, warmupMillis / turns.length, turn.op());
        }
        Histogram[] latencies = new Histogram[turns.length];
        for (int t = 0; t < turns.length; t++) {
            latencies[t] = new Histogram(3);
        }
        long[] ops = new long[turns.length];
        long[] failures = new long[turns.length];
        double[] seconds = new double[turns.length];
        for (int round = 0; round < rounds; round++) {
            for (int t = 0; t < turns.length; t++) {
                Load load = new Load(concurrency, turns[t].op());
                turns[t].beforeBlock().run();
                Outcome block = load.measure(blockWarmupMillis, blockMillis);
                turns[t].afterBlock().run();
                seconds[t] += load.measuredSeconds;
                latencies[t].add(load.measured);
                ops[t] += block.operations();
                failures[t] += block.failures();
            }
        }
        Outcome[] outcomes = new Outcome[turns.length];
        for (int t = 0; t < turns.length; t++) {
            outcomes[t] = new Outcome(ops[t] / seconds[t], latencies[t].getValueAtPercentile(50) / 1000.0,
                    latencies[t].getValueAtPercentile(99) / 1000.0, ops[t], failures[t]);
        }
        return outcomes;
    }

    private Outcome measure(long warmupMillis, long measureMillis) throws Exception {
        for (int w = 0; w < depth.length; w++) {
            next(w, System.nanoTime());
        }
        Thread.sleep(warmupMillis);
        recorder.getIntervalHistogram();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureMillis);
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        measuredSeconds = elapsed / 1e9;
        measured = recorder.getIntervalHistogram();
        Histogram histogram = measured;
        stop.set(true);
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("operations still running 120 s after the measured window");
        }
        trampoline.shutdown();
        return new Outcome(ops.get() / (elapsed / 1e9), histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, ops.get(), failures.get());
    }

    private void next(int worker, long due) {
        CompletionStage<Boolean> stage;
        synchronized (depth) {
            depth[worker]++;
        }
        try {
            stage = op.run(worker);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((ok, error) -> {
            long now = System.nanoTime();
            if (measuring.get()) {
                recorder.recordValue(Math.max(1, (now - due) / 1000));
                ops.incrementAndGet();
                if (error != null || !Boolean.TRUE.equals(ok)) {
                    failures.incrementAndGet();
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
