package io.cutover.step;

import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.spi.CloudProvider;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a step sees when the engine calls it: the cloud, the time, what it remembered, and the values of
 * references in its fields.
 */
public interface StepContext {
    Plan plan();

    StepId stepId();

    CloudProvider cloud();

    Instant now();

    /** When the step was first started (kept across restarts). */
    Instant startedAt();

    /** What the step remembered from earlier calls. */
    Map<String, String> memo();

    default Optional<String> memo(String key) {
        return Optional.ofNullable(memo().get(key));
    }

    /**
     * Whether an earlier call of this step, made with the memo it has now, may have taken effect without its
     * answer reaching the state: it failed transiently (the cloud may have acted and the answer been lost), or
     * the process that made it stopped before saving. A create whose resource is found again only by a search
     * (tags, not a name the step chose) must then not create again before the search had time to show it.
     */
    default boolean earlierCallMayHaveActed() {
        return false;
    }

    /** Resolves {@code ${...}} references in a text field (step outputs, stack outputs, env secrets). */
    String resolve(String text);

    /**
     * A name for a thing this step creates, unique to this cutover and step and the same on every call:
     * {@code <plan id>-<step id>[-<suffix>]}, valid as a database or snapshot identifier.
     */
    default String derivedName(String suffix) {
        String base = plan().id() + "-" + stepId().value();
        return suffix.isEmpty() ? base : base + "-" + suffix;
    }

    /** An idempotency token for a call of this step: the same on every call and after a restart. */
    default String token(String purpose) {
        return "cutover-" + plan().id() + "-" + stepId().value() + "-" + purpose;
    }

    /** Tags that mark what this cutover created, so that it can be found again and reported. */
    default Map<String, String> tags() {
        return Map.of(
                "cutover:plan",
                plan().id(),
                "cutover:step",
                stepId().value(),
                "cutover:environment",
                plan().environment().name());
    }

    /**
     * The ids other steps of this cutover claimed for what they create (saved before their create calls), by
     * step id: a step about to create something checks its resolved name against them.
     */
    default Map<String, String> claimsOfOtherSteps() {
        return Map.of();
    }

    /**
     * What another step of this cutover remembered (its saved memo; empty before it starts): a step may take
     * what an earlier one left as a guess the cloud checks, such as the record a conditional DNS change expects.
     */
    default Map<String, String> memoOf(StepId other) {
        return Map.of();
    }

    /**
     * The run's values as environment variables for a command this step runs ({@link HookVariables}): the
     * plan's ids, blue's and green's stacks, green's outputs and the outputs of the steps it depends on.
     */
    default Map<String, String> variables() {
        return HookVariables.of(plan(), stepId(), Map.of(), Optional.empty());
    }

    /** Whether a person approved this step's gate. */
    boolean approved();

    /** A hook or check registered with the engine. */
    Hooks hooks();
}
