package io.cutover.state;

/** Where a whole cutover stands. */
public enum RunStatus {
    /** Steps are running or due. */
    RUNNING,
    /** Nothing can move until a person approves a gate. */
    WAITING,
    /** A failure before the switch: removing what green created, blue untouched. */
    COMPENSATING,
    /** A failure or a request after the switch: moving users back to blue, green kept for inspection. */
    REVERTING,
    /** Every step succeeded. */
    COMPLETED,
    /** Rolled back cleanly: users are on blue. */
    ROLLED_BACK,
    /** Could not finish nor roll back cleanly; the report lists what needs a person. */
    FAILED;

    public boolean terminal() {
        return this == COMPLETED || this == ROLLED_BACK || this == FAILED;
    }
}
