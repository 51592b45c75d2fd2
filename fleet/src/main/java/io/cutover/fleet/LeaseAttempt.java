package io.cutover.fleet;

/** The answer to {@link EnvironmentLeases#tryAcquire}: the lease, or who holds the environment. */
public sealed interface LeaseAttempt {
    record Acquired(Lease lease) implements LeaseAttempt {}

    /** Another live process holds it (or held it so recently that its lease has not run out yet). */
    record Held(LeaseHolder holder) implements LeaseAttempt {}
}
