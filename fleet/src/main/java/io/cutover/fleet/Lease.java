package io.cutover.fleet;

import io.cutover.engine.Fence;
import java.time.Duration;

/** This process's hold on one environment, renewed in the background until {@link #release()}. */
public interface Lease {
    LeaseHolder holder();

    /** False once the lease could not be renewed in time: another process may have taken the environment. */
    boolean valid();

    /**
     * How long the lease holds for certain if it is not renewed again, on this process's monotonic clock (a
     * lease that only a release ends says {@link java.time.temporal.ChronoUnit#FOREVER}).
     */
    Duration remaining();

    /** Lets the environment go, at once, to any other process; idempotent. */
    void release();

    /**
     * The fence of a cutover driven under this lease: held while the lease is valid with at least {@code margin}
     * left. The margin covers the time between the engine's check and the call reaching the cloud, and the
     * time another machine's clock may run ahead of this one's in counting the lease out.
     */
    default Fence fence(Duration margin) {
        return () -> {
            if (!valid()) {
                return new Fence.Lost("the lease on " + holder().environment() + " ran out (not renewed in time)");
            }
            Duration left = remaining();
            if (left.compareTo(margin) < 0) {
                return new Fence.Lost("the lease on " + holder().environment() + " has " + left.toMillis()
                        + " ms left, less than the margin of " + margin.toMillis() + " ms");
            }
            return new Fence.Held();
        };
    }
}
