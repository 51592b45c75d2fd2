package io.cutover;

/**
 * This process no longer provably holds a cutover (its lease ran out, or another process saved a newer
 * state), so the call it was about to make was not made and the engine stopped driving the cutover. Nothing
 * was saved over the newer state. Resume the cutover from the process that holds it, or with
 * {@code cutover resume ID} once the other process has gone.
 */
public final class FenceLostException extends CutoverException {
    public FenceLostException(String message) {
        super(message);
    }
}
