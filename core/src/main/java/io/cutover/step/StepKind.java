package io.cutover.step;

import io.cutover.plan.StepRules;
import io.cutover.plan.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One kind of step, in one place: its name in plan files and its record ({@link StepRules}: checks of its
 * fields and references, its outputs, its flags), its read-only checks before a cutover starts, its
 * behaviour, and what it creates. The engine, the validator, the preview and plan files find a kind through
 * {@code io.cutover.step.kinds.StepKinds}; adding a kind is a record, a class implementing this interface,
 * and one line in the registry ({@code StepKinds.builtIn().with(new MyKind())}).
 */
public interface StepKind<S extends StepSpec> extends StepRules<S> {
    /** The behaviour of one step of this kind: submit, poll, compensate. */
    StepBehaviour behaviour(S step);

    /**
     * The user hooks the step runs, by field ({@code hook}, {@code undo}): each must be registered with the
     * engine (or, in a plan file, defined in its hooks section).
     */
    default Map<String, String> hooks(S step) {
        return Map.of();
    }

    /**
     * What a gate of this kind still waits for (e.g. "bake 'bake' has 23h 50m left"), for a refusal of
     * decommission; empty for the default wording.
     */
    default java.util.Optional<String> gateWaitsFor(
            S step, java.util.Optional<java.time.Instant> startedAt, java.time.Instant now) {
        return java.util.Optional.empty();
    }

    /**
     * The IAM policy statements a step of this kind needs for its own calls (submit, poll, compensation), its
     * mutating actions scoped to the ARNs the plan determines ({@code arns} builds them) or to tag conditions.
     * The default splits {@link StepBehaviour#permissions()} into reads and writes on every resource ({@code *}),
     * which a reviewer should not sign: a kind that calls AWS declares its own.
     */
    default List<Grant> grants(S step, io.cutover.plan.Plan plan, Arns arns) {
        List<String> all = behaviour(step).permissions();
        List<String> reads = all.stream().filter(Grant::readsOnly).toList();
        List<String> writes = all.stream().filter(a -> !Grant.readsOnly(a)).toList();
        List<Grant> out = new java.util.ArrayList<>();
        if (!reads.isEmpty()) {
            out.add(Grant.read(reads, List.of("*")));
        }
        if (!writes.isEmpty()) {
            out.add(Grant.write(writes, List.of("*")));
        }
        return out;
    }

    /** Read-only checks of what the step names in the cloud, made before the cutover changes anything. */
    default void preflight(S step, PreflightReads reads) {}

    /**
     * Deeper read-only checks, made by {@code cutover plan --check} and by {@code run} before its first change,
     * after {@link #preflight} passed: e.g. an update's change set previewed (created, read, deleted, never
     * executed). These may wait for the cloud; the engine's own start does not make them.
     */
    default void check(S step, AccountReads reads) {}

    /** The reads {@link #preflight} makes, by service ({@link Services}), for the account's rate budget. */
    default Map<String, Integer> preflightCalls(S step) {
        return Map.of();
    }

    /**
     * The stacks this step deploys from a template, by name, with the template it gives (empty when the stack's
     * own template is kept): a clone names blue's stack, whose shape green copies; an update names the stack it
     * updates. A rehearsal builds these stacks before the cutover starts.
     */
    default Map<String, java.util.Optional<StepSpec.TemplateRef>> templates(S step, io.cutover.plan.Environment env) {
        return Map.of();
    }

    /**
     * What a succeeded (or failed) step of this kind created, from its outputs and what it remembered: the
     * engine removes it on compensation and names it in the report when it is kept or left behind.
     */
    default List<CreatedResource> created(S step, Map<String, String> outputs, Map<String, String> memo) {
        return List.of();
    }

    /**
     * What the step created, as the run's later steps left it ({@code runOutputs}: every step's outputs, as
     * {@code step-id.key}): for a kind whose resources a later step renames. By default {@link #created(StepSpec,
     * Map, Map)}.
     */
    default List<CreatedResource> created(
            S step, Map<String, String> outputs, Map<String, String> memo, Map<String, String> runOutputs) {
        return created(step, outputs, memo);
    }

    /**
     * The least time the step's cloud work takes, given the expected duration of each operation
     * ({@link Operations}): for a plan's critical path.
     */
    default Duration minimumDuration(S step, Function<String, Duration> expected) {
        return Duration.ZERO;
    }
}
