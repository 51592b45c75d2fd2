package io.cutover.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's only source of time and of threads. {@link SystemScheduler} runs on the wall clock and a
 * small pool of threads; {@link VirtualScheduler} runs a whole cutover in virtual time on the caller's
 * thread, deterministically.
 */
public interface Scheduler {
    Instant now();

    /** Runs {@code task} once, {@code delay} from now. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
