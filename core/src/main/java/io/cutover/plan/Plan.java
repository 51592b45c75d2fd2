package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.cutover.InvalidPlanException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A cutover of one environment, as data: steps and the dependencies between them. Independent steps run
 * at once. The {@code id} names this cutover everywhere: resource names and idempotency tokens derive from
 * it and the step ids, so a restarted engine finds what it created before.
 *
 * <p>Build one by hand, from a {@link Strategies strategy}, or from a plan file; check it with
 * {@link PlanValidator}, which the engine also runs before it changes anything.
 */
public record Plan(String id, Environment environment, List<StepSpec> steps) {
    public Plan {
        Objects.requireNonNull(environment, "environment");
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static Plan of(String id, Environment environment, List<StepSpec> steps) {
        return new Plan(id, environment, steps);
    }

    public Optional<StepSpec> step(StepId id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public StepSpec stepOrThrow(StepId id) {
        return step(id).orElseThrow(() -> InvalidPlanException.of("steps", "no step '" + id + "' in plan " + this.id));
    }

    /** Every step {@code id} depends on, directly or through others. */
    public Set<StepId> upstreamOf(StepId id) {
        Set<StepId> seen = new LinkedHashSet<>();
        Deque<StepId> todo = new ArrayDeque<>(stepOrThrow(id).dependsOn());
        while (!todo.isEmpty()) {
            StepId next = todo.pop();
            if (seen.add(next)) {
                step(next).ifPresent(s -> todo.addAll(s.dependsOn()));
            }
        }
        return seen;
    }

    /**
     * The steps in an order that respects every dependency; among steps that are ready together, the plan's
     * own order. Assumes the plan has no cycle ({@link PlanValidator} reports one).
     */
    @JsonIgnore
    public List<StepSpec> inOrder() {
        Map<StepId, StepSpec> remaining = new LinkedHashMap<>();
        steps.forEach(s -> remaining.put(s.id(), s));
        List<StepSpec> out = new ArrayList<>();
        Set<StepId> done = new LinkedHashSet<>();
        while (!remaining.isEmpty()) {
            StepSpec ready = remaining.values().stream()
                    .filter(s -> done.containsAll(s.dependsOn()))
                    .findFirst()
                    .orElseThrow(() -> InvalidPlanException.of("steps", "the dependencies form a cycle"));
            out.add(ready);
            done.add(ready.id());
            remaining.remove(ready.id());
        }
        return out;
    }
}
