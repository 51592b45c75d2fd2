package io.cutover.event;

/**
 * Follows a cutover. Called on the engine's threads, in order for one cutover; must return promptly and
 * must not throw (an exception is logged and otherwise ignored).
 */
@FunctionalInterface
public interface CutoverListener {
    void on(CutoverEvent event);
}
