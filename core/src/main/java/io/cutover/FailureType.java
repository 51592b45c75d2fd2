package io.cutover;

/**
 * Why a step (or a read before a cutover) failed, as far as a caller must know to decide what to do next:
 * whether trying again later can help ({@link #retryable()}), and whether a person must act. Provider calls
 * are classified finer by the adapters ({@code io.cutover.spi.FailureKind}); this is the outcome a step
 * reports and the state keeps.
 */
public enum FailureType {
    /** The service asked the caller to slow down; the same work can be tried again later. */
    THROTTLED(true),
    /** A fault of the service or the network; trying again can succeed. */
    TRANSIENT(true),
    /** The work took much longer than it should (a snapshot stuck in "creating"). */
    TIMED_OUT(false),
    /** A guard or a check said no (a storage guard, a failed verification, a hook that refused). */
    REFUSED(false),
    /** A conditional change found its target changed by someone else since it was read; nothing changed. */
    CONFLICT(false),
    /** Something the step names does not exist. */
    NOT_FOUND(false),
    /** The caller lacks a permission. */
    ACCESS_DENIED(false),
    /** The request itself is wrong: fix the plan or the resource and run again. */
    INVALID_REQUEST(false),
    /** The rollback stopped the step while it ran. */
    INTERRUPTED(false),
    /** Anything else that trying again will not fix. */
    PERMANENT(false),
    /** The step threw what it should have returned: a bug, logged with its stack trace. */
    UNEXPECTED(false);

    private final boolean retryable;

    FailureType(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same work, tried again later, can succeed. */
    public boolean retryable() {
        return retryable;
    }
}
