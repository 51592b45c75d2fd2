package io.cutover.step;

import java.util.List;
import java.util.Map;

/**
 * The behaviour of one step: submit, poll, and the compensation that undoes it. Every call must be
 * idempotent: after a crash the engine may repeat the last call, and what it creates is found again by the
 * names and tokens derived from the plan and step ids ({@link StepContext#derivedName}, {@link StepContext#token}).
 */
public interface StepBehaviour {
    /** What the step will change, for previews and events. */
    String describe();

    /** The provider operations the step may call, as {@code service:Action}, for permission previews. */
    List<String> permissions();

    /** Submits the work; returns at once. */
    StepOutcome start(StepContext ctx);

    /** One look at the submitted work (and, for steps of several phases, the submission of the next). */
    StepOutcome poll(StepContext ctx);

    /**
     * The provider calls the next call of this step will make, by service ({@link Services}), so that the
     * engine can reserve them in the account's rate budget before it makes the call. {@code memo} is what the
     * step remembers.
     */
    default Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
        return Map.of();
    }

    /** Which compensation this step has, if any. */
    Compensation compensation();

    /** Called repeatedly until it returns Done or Failed; keeps its own phase in the memo under "undo.". */
    default StepOutcome compensate(StepContext ctx) {
        return StepOutcome.Done.of();
    }

    default String describeCompensation() {
        return "nothing to undo";
    }

    /** Which call of a step the engine makes. */
    enum Phase {
        START,
        POLL,
        COMPENSATE
    }
}
