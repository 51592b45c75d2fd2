package io.cutover.bench;

/** The death of a process: unwinds what it was doing; its scheduled work is dropped with its scope. */
final class ProcessDied extends Error {
    private static final long serialVersionUID = 1L;

    ProcessDied() {
        super("process died", null, false, false);
    }

    /**
     * An outside action (a person approving, rolling back, starting a process) that runs on the process's
     * call stack: if the process dies under it, the main loop sees the death and resumes.
     */
    static Runnable survive(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (ProcessDied died) {
                // the store marked its process dead; the loop counts the crash and starts a new process
            }
        };
    }
}
