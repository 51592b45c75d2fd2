package io.cutover.fleet;

import java.util.Optional;

/**
 * Live, per-environment leases between processes: while one process drives an environment it holds the
 * lease and renews it (heartbeats); every other process is refused with who holds it and since when. When
 * the holder dies, its lease runs out and the next {@link #tryAcquire} by another process gets it, and
 * that process resumes the cutover from the stored state.
 *
 * <p>A lease is not what makes a cutover safe: the state store's version-conditional writes already make
 * sure two processes never both commit a transition. The lease keeps processes from fighting over an
 * environment, and is how a dead process is noticed.
 */
public interface EnvironmentLeases extends AutoCloseable {
    /** Takes the environment for this process without waiting, or says who holds it. */
    LeaseAttempt tryAcquire(String environment, String runId);

    /** Who holds the environment now, if anyone. */
    Optional<LeaseHolder> holder(String environment);

    /**
     * How much of a lease must be left for this process to make a changing call under it
     * ({@link Lease#fence}); zero by default.
     */
    default java.time.Duration fenceMargin() {
        return java.time.Duration.ZERO;
    }

    /** This process's name in leases. */
    String owner();

    /** Releases every lease this process holds and stops renewing. */
    @Override
    void close();
}
