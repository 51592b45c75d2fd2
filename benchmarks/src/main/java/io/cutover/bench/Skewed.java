package io.cutover.bench;

import java.time.Duration;
import java.time.Instant;

/** A process whose clock is off by {@code skew}; its timers run in the world's time. */
record Skewed(io.cutover.engine.Scheduler inner, Duration skew) implements io.cutover.engine.Scheduler {
    @Override
    public Instant now() {
        return inner.now().plus(skew);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return inner.schedule(delay, task);
    }
}
