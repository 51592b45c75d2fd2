package io.cutover.dynamodb;

import io.cutover.CutoverException;

/** A state table that cannot be used: missing, or with another key schema. The message names the fix. */
public final class StateTableException extends CutoverException {
    public StateTableException(String message) {
        super(message);
    }

    public StateTableException(String message, Throwable cause) {
        super(message, cause);
    }
}
