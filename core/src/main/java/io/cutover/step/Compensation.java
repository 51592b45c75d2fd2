package io.cutover.step;

/** Which compensations run when. */
public enum Compensation {
    /** Nothing to undo. */
    NONE,
    /** Removes something green created; runs when a cutover is rolled back before the switch. */
    REMOVES_GREEN,
    /**
     * Nothing is undone: what the step made is a backup of blue's data (a snapshot), which a rollback never
     * deletes, least of all the one taken just before the change that failed. The report names it as kept, with
     * why.
     */
    KEEPS_BACKUP,
    /** Gives blue back what the cutover took from it (traffic, jobs, TTL); runs on every rollback. */
    RESTORES_BLUE
}
