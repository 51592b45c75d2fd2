package io.cutover.state;

/**
 * Which way a cutover is moving; saved in its state, so every decision that depends on it (may a step
 * start, may the cutover be rolled back, does a failure move users back) reads one field.
 */
public enum RunPhase {
    /** Steps start as their dependencies succeed. */
    FORWARD,
    /** A failure before the switch: what green created is removed, blue is untouched. */
    COMPENSATING,
    /** A failure or a request after the switch: users move back to blue, green is kept for inspection. */
    REVERTING,
    /**
     * Decommission has started retiring blue: the point of no return. A failure is recorded, decommission is
     * let finish, and the cutover ends FAILED with its report; it is never rolled back.
     */
    RETIRING;

    /** True while the cutover is being rolled back. */
    public boolean rollingBack() {
        return this == COMPENSATING || this == REVERTING;
    }
}
