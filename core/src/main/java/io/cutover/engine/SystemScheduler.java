package io.cutover.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wall-clock time and a fixed pool of daemon threads. Steps never sleep, so a few threads drive many
 * cutovers: a thread is busy only for the duration of one provider call.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private final Clock clock;
    private final ScheduledExecutorService executor;

    private SystemScheduler(Clock clock, int threads) {
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "cutover-engine-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, factory);
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** The system clock and {@code threads} threads (8 is plenty for hundreds of cutovers). */
    public static SystemScheduler of(int threads) {
        return new SystemScheduler(Clock.systemUTC(), threads);
    }

    public static SystemScheduler ofDefaults() {
        return of(8);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var f = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
