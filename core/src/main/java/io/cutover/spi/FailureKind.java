package io.cutover.spi;

/** Why a provider call failed, as far as the engine needs to know to decide what to do next. */
public enum FailureKind {
    /** The service asked us to slow down; the call can be repeated later unchanged. */
    THROTTLING(true),
    /** A fault on the service's side or the network's; the call can be repeated. */
    TRANSIENT(true),
    /** The named thing does not exist. */
    NOT_FOUND(false),
    /** A thing with that name exists already (a repeated create); idempotent steps adopt it. */
    ALREADY_EXISTS(false),
    /** The caller lacks a permission; the exception names the missing action where the service does. */
    ACCESS_DENIED(false),
    /** The request itself is wrong (a bad parameter, a thing in the wrong state). */
    INVALID_REQUEST(false),
    /**
     * A conditional change found the thing changed since it was read (another process changed it): nothing was
     * changed. Repeating the same call cannot succeed; read again and decide.
     */
    CONFLICT(false),
    /** Anything else that repeating will not fix. */
    PERMANENT(false);

    private final boolean retryable;

    FailureKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
