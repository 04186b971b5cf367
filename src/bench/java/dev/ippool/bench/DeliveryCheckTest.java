package dev.ippool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** B5's check of what each watcher received against the answered writes. */
class DeliveryCheckTest {

    private static final long[] WRITTEN = {10, 11, 13};
    private static final long[] ARRIVALS = {100, 200, 300, 400};

    private static boolean check(long[] seen, long unanswered) {
        return WatchScenarios.matches(seen, ARRIVALS, WRITTEN, unanswered, new long[WRITTEN.length]);
    }

    @Test
    @DisplayName("every answered write in order passes; a committed write answered 504 may appear among them")
    void complete() {
        assertThat(check(new long[] {10, 11, 13}, 0)).isTrue();
        assertThat(check(new long[] {10, 11, 12, 13}, 1)).isTrue();
        long[] last = new long[WRITTEN.length];
        WatchScenarios.matches(new long[] {10, 11, 12, 13}, ARRIVALS, WRITTEN, 1, last);
        assertThat(last).containsExactly(100, 200, 400);
    }

    @Test
    @DisplayName("a lost, doubled or reordered event fails, and so do more extra events than unanswered writes")
    void incomplete() {
        assertThat(check(new long[] {10, 13}, 5)).as("lost").isFalse();
        assertThat(check(new long[] {10, 11}, 5)).as("lost at the end").isFalse();
        assertThat(check(new long[] {10, 11, 11, 13}, 5)).as("doubled").isFalse();
        assertThat(check(new long[] {11, 10, 13}, 5)).as("reordered").isFalse();
        assertThat(check(new long[] {10, 11, 12, 13}, 0)).as("an event of no write").isFalse();
    }
}
