package io.cutover.bench;

/** The death of a process: unwinds what it was doing; its scheduled work is dropped with its scope. */
final class ProcessDied extends Error {
    private static final long serialVersionUID = 1L;

    ProcessDied() {
        super("process died", null, false, false);
    }
}
