package io.contxray.hook;

import java.time.Duration;

/** One time budget shared by the steps of a hook run. */
final class Budget {
    private final long deadlineNanos;

    Budget(Duration total) {
        this.deadlineNanos = System.nanoTime() + total.toNanos();
    }

    /** What is left, at least 1 ms (a step given 1 ms times out and says so). */
    Duration remaining() {
        return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
    }

    /** What is left, but no more than {@code cap}. */
    Duration upTo(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }
}
