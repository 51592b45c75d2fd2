package io.cutover.engine;

import io.cutover.state.RunState;
import java.time.Duration;
import java.time.Instant;

/**
 * A cutover's own timeline, on which every time it saves (a step's start, a wait's beginning, an approval) and
 * every time it measures (a bake, an operation's time limit) is taken. A process that takes the cutover (starts
 * or resumes it) goes on from the time last saved, at the pace of its own clock: time is only ever added as a
 * process observed it pass, so a machine whose clock runs 50 minutes ahead of the one before cannot make a 1 h
 * bake end after 10 minutes. Time that no process observed (between the last save of a process that died and
 * the takeover) is not counted, so after a takeover a wait can only get longer, never shorter; the times in the
 * state then lag the wall clock by that much.
 */
final class RunClock {
    /** A running step's waits are saved at least this often, so a takeover loses at most this much of them. */
    static final Duration SAVE_AT_LEAST_EVERY = Duration.ofMinutes(5);

    private final Scheduler scheduler;
    private final Instant takenAt;
    private final Instant localAtTake;
    private Instant savedAt;

    RunClock(Scheduler scheduler, RunState taken) {
        this.scheduler = scheduler;
        this.takenAt = taken.updatedAt();
        this.localAtTake = scheduler.now();
        this.savedAt = takenAt;
    }

    /** The time of the state just saved. */
    void saved(Instant at) {
        savedAt = at;
    }

    /** Whether the time a step has waited must be saved now, so that a takeover does not lose much of it. */
    boolean saveDue(Instant now) {
        return !Duration.between(savedAt, now).minus(SAVE_AT_LEAST_EVERY).isNegative();
    }

    /** Now on the cutover's timeline. */
    Instant now() {
        Duration observed = Duration.between(localAtTake, scheduler.now());
        return takenAt.plus(observed.isNegative() ? Duration.ZERO : observed);
    }
}
