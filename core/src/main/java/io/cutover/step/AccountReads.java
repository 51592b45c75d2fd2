package io.cutover.step;

import java.time.Duration;

/**
 * Where a step kind makes the deeper read-only checks of {@code cutover plan --check} (and of {@code run} before
 * its first change): as {@link PreflightReads}, and it may wait for the cloud to compute something (a change set
 * to preview) and leave notes for the reader.
 */
public interface AccountReads extends PreflightReads {
    /** The plan being checked. */
    io.cutover.plan.Plan plan();

    /** Waits while the cloud computes what the check asked for (the thread's sleep; virtual time in tests). */
    void sleep(Duration d);

    /** A finding that does not refuse the plan (something not checked and why, what an update would change). */
    void note(String text);
}
