package io.cutover.internal;

import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.List;

/**
 * The behaviour of one step kind: submit, poll, and the compensation that undoes it. Every call must be
 * idempotent: after a crash the engine may repeat the last call, and what it creates is found again by
 * the names and tokens derived from the plan and step ids.
 */
public interface Action {
    /** What the step will change, for previews and events. */
    String describe();

    /** The provider operations the step may call, as {@code service:Action}, for permission previews. */
    List<String> permissions();

    /** Submits the work; returns at once. */
    StepOutcome start(StepContext ctx);

    /** One look at the submitted work (and, for steps of several phases, the submission of the next). */
    StepOutcome poll(StepContext ctx);

    /**
     * The provider calls the next call of this step will make, by service ({@code RateBudget}'s names), so
     * that the engine can reserve them in the account's rate budget before it makes the call. {@code phase}
     * is "start", "poll" or "compensate"; {@code memo} is what the step remembers.
     */
    default java.util.Map<String, Integer> calls(String phase, java.util.Map<String, String> memo) {
        return java.util.Map.of();
    }

    /** What the compensation does, if there is one. */
    Compensation compensation();

    /** Called repeatedly until it returns Done or Failed; keeps its own phase in the memo under "undo.". */
    default StepOutcome compensate(StepContext ctx) {
        return StepOutcome.Done.of();
    }

    default String describeCompensation() {
        return "nothing to undo";
    }

    /** Which compensations run when. */
    enum Compensation {
        /** Nothing to undo. */
        NONE,
        /** Removes something green created; runs when a cutover is rolled back before the switch. */
        REMOVES_GREEN,
        /** Gives blue back what the cutover took from it (traffic, jobs, TTL); runs on every rollback. */
        RESTORES_BLUE
    }
}
