package io.cutover;

import io.cutover.state.RunState;

/**
 * Another process saved a newer state of a cutover this process was driving (an approval or a rollback from
 * another shell, a takeover by another machine), so this process stopped driving it, saving nothing. The
 * message says what happened; {@link #newer()} is the state as the other process saved it, which goes on there.
 */
public final class TakenOverException extends CutoverException {
    private final transient RunState newer;

    public TakenOverException(String message, RunState newer) {
        super(message);
        this.newer = newer;
    }

    /** The cutover as the other process saved it. */
    public RunState newer() {
        return newer;
    }
}
