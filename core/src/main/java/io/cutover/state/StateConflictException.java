package io.cutover.state;

import io.cutover.CutoverException;

/**
 * A save based on a state that someone else has changed since it was read: another process is driving
 * the same cutover. The engine stops driving it rather than overwrite the other's work.
 */
public final class StateConflictException extends CutoverException {
    public StateConflictException(String message) {
        super(message);
    }
}
