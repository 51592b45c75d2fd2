package io.cutover.fleet;

import io.cutover.CutoverException;

/** A fleet that cannot start: a bad fleet file (a missing or wrong state table is a {@code StateTableException}). */
public class FleetException extends CutoverException {
    public FleetException(String message) {
        super(message);
    }

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
