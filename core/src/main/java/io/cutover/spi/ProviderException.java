package io.cutover.spi;

import io.cutover.CutoverException;
import java.util.Optional;

/**
 * A provider call that failed, classified. Adapters translate their SDK's errors into this one type so that
 * the engine decides on retries, compensation and messages without knowing the cloud.
 */
public final class ProviderException extends CutoverException {
    private final FailureKind kind;
    private final String operation;
    private final String missingAction;

    public ProviderException(
            FailureKind kind, String operation, String message, Throwable cause, String missingAction) {
        super(operation + ": " + message, cause);
        this.kind = kind;
        this.operation = operation;
        this.missingAction = missingAction;
    }

    public static ProviderException of(FailureKind kind, String operation, String message) {
        return new ProviderException(kind, operation, message, null, null);
    }

    public static ProviderException notFound(String operation, String what) {
        return of(FailureKind.NOT_FOUND, operation, what + " does not exist");
    }

    public static ProviderException accessDenied(String operation, String action) {
        return new ProviderException(
                FailureKind.ACCESS_DENIED, operation, "access denied; grant the caller '" + action + "'", null, action);
    }

    public FailureKind kind() {
        return kind;
    }

    /** The provider operation that failed, e.g. {@code CreateDBSnapshot}. */
    public String operation() {
        return operation;
    }

    /** For {@link FailureKind#ACCESS_DENIED}: the action the caller must be granted, where known. */
    public Optional<String> missingAction() {
        return Optional.ofNullable(missingAction);
    }

    public boolean retryable() {
        return kind.retryable();
    }
}
