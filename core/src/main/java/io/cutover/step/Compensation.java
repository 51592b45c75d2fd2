package io.cutover.step;

/** Which compensations run when. */
public enum Compensation {
    /** Nothing to undo. */
    NONE,
    /** Removes something green created; runs when a cutover is rolled back before the switch. */
    REMOVES_GREEN,
    /** Gives blue back what the cutover took from it (traffic, jobs, TTL); runs on every rollback. */
    RESTORES_BLUE
}
