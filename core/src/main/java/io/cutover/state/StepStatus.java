package io.cutover.state;

/** Where one step of a cutover stands. */
public enum StepStatus {
    /** Not started; its dependencies have not all succeeded. */
    PENDING,
    /** The engine decided to start it and saved that before the first call; the call may not have happened. */
    STARTING,
    /** Submitted; the engine polls it. */
    RUNNING,
    /** Waiting for a person to approve it. */
    WAITING,
    SUCCEEDED,
    FAILED,
    /** Never started, because the cutover was rolled back first. */
    SKIPPED,
    /** Its compensation is running. */
    COMPENSATING,
    COMPENSATED,
    /** Its compensation failed; what it created is reported as left behind. */
    COMPENSATION_FAILED;

    /** True while the engine is working on the step (it must be polled again after a restart). */
    public boolean inFlight() {
        return this == STARTING || this == RUNNING || this == WAITING || this == COMPENSATING;
    }

    /** True once the step reached a status it will not leave by itself. */
    public boolean settled() {
        return this == SUCCEEDED
                || this == FAILED
                || this == SKIPPED
                || this == COMPENSATED
                || this == COMPENSATION_FAILED;
    }
}
