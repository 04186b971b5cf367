package dev.ippool.bench;

/**
 * How big and how long: the full run (the sizes), quick (same sizes, short windows) and smoke (tiny
 * everything, in {@code ./mvnw verify} so the harness cannot rot).
 *
 * @param listPools small pools in the big LIST (B4); {@code listPools256} pools of 256 allocations
 * @param watchers watchers that must all see every write (B5); {@code idleWatches} open idle watches (B6)
 * @param starts service starts measured for start-up (B9); {@code startPools} pools stored before them
 * @param largeSamples round trips measured on the 65,536-allocation pool (B8)
 * @param maxInFlight caps every load's concurrency (smoke: a cold service must finish operations in its window)
 */
record Mode(String name, long warmupMillis, long measureMillis, int listPools, int listPools256, int watchers,
        int idleWatches, int starts, int startPools, int largeSamples, int maxInFlight) {

    /** The whole benchmark in miniature, as {@code BenchIT} runs it in {@code ./mvnw verify}. */
    static Mode smoke() {
        return new Mode("smoke", 500, 300, 20, 5, 10, 50, 1, 20, 2, 16);
    }

    static Mode fromSystemProperties() {
        Mode mode = Boolean.getBoolean("bench.smoke") ? smoke()
                : Boolean.getBoolean("bench.quick") ? new Mode("quick", 2_000, 4_000, 1_000, 100, 1_000, 10_000, 3,
                        1_000, 10, Integer.MAX_VALUE)
                : new Mode("full", 10_000, 20_000, 1_000, 100, 1_000, 10_000, 5, 1_000, 30, Integer.MAX_VALUE);
        return new Mode(mode.name, Long.getLong("bench.warmup.ms", mode.warmupMillis),
                Long.getLong("bench.measure.ms", mode.measureMillis), mode.listPools, mode.listPools256,
                mode.watchers, mode.idleWatches, mode.starts, mode.startPools, mode.largeSamples, mode.maxInFlight);
    }
}
