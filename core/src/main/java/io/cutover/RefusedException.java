package io.cutover;

/**
 * A request that Cutover refuses in the current state of a cutover: a second cutover of an environment that
 * is already being cut over, a decommission before its gate opened, a rollback after the point of no
 * return. Nothing was changed.
 */
public final class RefusedException extends CutoverException {
    public RefusedException(String message) {
        super(message);
    }
}
