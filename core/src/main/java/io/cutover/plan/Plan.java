package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.cutover.InvalidPlanException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
public record Plan(
        String id, Environment environment, List<StepSpec> steps, TimeLimits limits, Notifications notifications) {
    public Plan {
        Objects.requireNonNull(environment, "environment");
        steps = steps == null ? List.of() : List.copyOf(steps);
        limits = limits == null ? TimeLimits.ofDefaults() : limits;
        notifications = notifications == null ? Notifications.none() : notifications;
    }

    public Plan(String id, Environment environment, List<StepSpec> steps, TimeLimits limits) {
        this(id, environment, steps, limits, Notifications.none());
    }

    public Plan(String id, Environment environment, List<StepSpec> steps) {
        this(id, environment, steps, TimeLimits.ofDefaults());
    }

    /** This plan with {@code limits} on how long its AWS operations may run ({@link TimeLimits}). */
    public Plan withLimits(TimeLimits limits) {
        return new Plan(id, environment, steps, limits, notifications);
    }

    /** This plan, telling {@code notifications} about its gates, downtime, failure, rollback and end. */
    public Plan withNotifications(Notifications notifications) {
        return new Plan(id, environment, steps, limits, notifications);
    }

    public static Plan of(String id, Environment environment, List<StepSpec> steps) {
        return new Plan(id, environment, steps);
    }

    public Optional<StepSpec> step(StepId id) {
        for (StepSpec s : steps) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public StepSpec stepOrThrow(StepId id) {
        return step(id).orElseThrow(() -> InvalidPlanException.of("steps", "no step '" + id + "' in plan " + this.id));
    }

    /** The steps by id (the first of two with one id). Linear in the plan's size. */
    @JsonIgnore
    public Map<StepId, StepSpec> byId() {
        Map<StepId, StepSpec> index = new java.util.HashMap<>();
        steps.forEach(s -> index.putIfAbsent(s.id(), s));
        return index;
    }

    /** Every step {@code id} depends on, directly or through others. */
    public Set<StepId> upstreamOf(StepId id) {
        return upstreamOf(id, byId());
    }

    /** As {@link #upstreamOf(StepId)}, with the index of {@link #byId()} built once by the caller. */
    public static Set<StepId> upstreamOf(StepId id, Map<StepId, StepSpec> byId) {
        StepSpec start = byId.get(id);
        if (start == null) {
            throw InvalidPlanException.of("steps", "no step '" + id + "'");
        }
        Set<StepId> seen = new LinkedHashSet<>();
        Deque<StepId> todo = new ArrayDeque<>(start.dependsOn());
        while (!todo.isEmpty()) {
            StepId next = todo.pop();
            if (seen.add(next)) {
                StepSpec s = byId.get(next);
                if (s != null) {
                    todo.addAll(s.dependsOn());
                }
            }
        }
        return seen;
    }

    /**
     * Whether {@code step} depends on {@code on}, directly or through others; searches only until it finds
     * it, nearest dependencies first.
     */
    public static boolean dependsOn(StepId step, StepId on, Map<StepId, StepSpec> byId) {
        StepSpec start = byId.get(step);
        if (start == null) {
            return false;
        }
        Set<StepId> seen = new java.util.HashSet<>();
        Deque<StepId> todo = new ArrayDeque<>(start.dependsOn());
        while (!todo.isEmpty()) {
            StepId next = todo.poll();
            if (next.equals(on)) {
                return true;
            }
            if (seen.add(next)) {
                StepSpec s = byId.get(next);
                if (s != null) {
                    todo.addAll(s.dependsOn());
                }
            }
        }
        return false;
    }

    /**
     * The steps in an order that respects every dependency; among steps that are ready together, the plan's
     * own order. Assumes the plan has no cycle ({@link PlanValidator} reports one). Takes time linear in the
     * plan's size (and a logarithm).
     */
    @JsonIgnore
    public List<StepSpec> inOrder() {
        int[] waiting = new int[steps.size()];
        Map<StepId, List<Integer>> dependents = new java.util.HashMap<>();
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < steps.size(); i++) {
            Set<StepId> deps = new LinkedHashSet<>(steps.get(i).dependsOn());
            for (StepId d : deps) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
            }
            waiting[i] = deps.size();
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<StepSpec> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            StepSpec s = steps.get(ready.poll());
            out.add(s);
            for (int d : dependents.getOrDefault(s.id(), List.of())) {
                if (--waiting[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (out.size() != steps.size()) {
            throw InvalidPlanException.of("steps", "the dependencies form a cycle");
        }
        return out;
    }
}
