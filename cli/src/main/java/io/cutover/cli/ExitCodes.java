package io.cutover.cli;

/** What the command-line tool's exit status means; scripts can rely on these. */
public final class ExitCodes {
    /** The cutover completed (or the command did what it was asked). */
    public static final int OK = 0;
    /** The cutover failed and was rolled back, or failed and needs a person (see its report). */
    public static final int FAILED = 1;
    /** The input is invalid: a plan file, an option or an argument; nothing was changed. */
    public static final int INVALID = 2;
    /** The cutover is waiting at a gate; approve it to go on. */
    public static final int WAITING = 3;
    /** Refused: the environment is locked by another cutover, a gate is closed, no such cutover. */
    public static final int REFUSED = 4;
    /**
     * Another process saved a newer state while this one drove or followed the cutover (an approval or a
     * rollback from another shell, a takeover by another machine); it goes on there. When the other process has
     * ended it, the exit status is that end's (0, 1 or 3) instead.
     */
    public static final int TAKEN_OVER = 5;

    private ExitCodes() {}
}
