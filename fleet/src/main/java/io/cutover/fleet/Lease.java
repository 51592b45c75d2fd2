package io.cutover.fleet;

/** This process's hold on one environment, renewed in the background until {@link #release()}. */
public interface Lease {
    LeaseHolder holder();

    /** False once the lease could not be renewed in time: another process may have taken the environment. */
    boolean valid();

    /** Lets the environment go, at once, to any other process; idempotent. */
    void release();
}
