package io.cutover.bench;

import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.simulator.Latencies;
import io.cutover.step.Operations;
import io.cutover.step.kinds.StepKinds;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The physical limit of a plan: the longest path of unavoidable operation time through its graph, each
 * step costing what the latency model says its cloud operation takes and not a second more (no polling,
 * no call overhead). The downtime floor is the same computed from the step that freezes writes (time
 * zero) to the end of the step that moves traffic.
 *
 * @param limit from the start to the end of {@code target}
 * @param downtimeFloor from the start of the freeze to the end of {@code target}; zero without a freeze
 * @param path the steps on the critical path to {@code target}, in order, with their costs
 */
record CriticalPath(Duration limit, Duration downtimeFloor, List<String> path) {

    /**
     * @param recordTtl the TTL the DNS record has before the cutover (the lower-ttl step waits it out)
     */
    static CriticalPath of(Plan plan, StepId target, Latencies l, Duration recordTtl) {
        return of(plan, target, step -> l, recordTtl);
    }

    /**
     * As {@link #of(Plan, StepId, Latencies, Duration)}, each step costing what {@code byStep} says its own
     * operations took (a run whose two DNS changes took different times).
     */
    static CriticalPath of(
            Plan plan, StepId target, java.util.function.Function<StepSpec, Latencies> byStep, Duration recordTtl) {
        Map<StepId, Duration> finish = new HashMap<>();
        Map<StepId, StepId> via = new HashMap<>();
        for (StepSpec s : plan.steps()) {
            earliest(plan, s.id(), byStep, recordTtl, finish, via, Optional.empty());
        }
        java.util.ArrayList<String> path = new java.util.ArrayList<>();
        for (StepId at = target; at != null; at = via.get(at)) {
            StepSpec step = plan.stepOrThrow(at);
            path.add(0, at + " " + cost(step, byStep.apply(step), recordTtl).toSeconds() + "s");
        }
        Optional<StepSpec> freeze = plan.steps().stream()
                .filter(s -> PlanValidator.flags(StepKinds.builtIn(), s).downtime() == StepSpec.Downtime.STARTS)
                .findFirst();
        Duration floor = Duration.ZERO;
        if (freeze.isPresent()) {
            Map<StepId, Duration> fromFreeze = new HashMap<>();
            Duration f = earliest(
                    plan,
                    target,
                    byStep,
                    recordTtl,
                    fromFreeze,
                    new HashMap<>(),
                    Optional.of(freeze.get().id()));
            floor = f;
        }
        return new CriticalPath(finish.get(target), floor, List.copyOf(path));
    }

    /**
     * The earliest a step can end. With {@code from} set, the clock starts when that step starts, and steps
     * that do not depend on it count as done at zero (the downtime window does not include them).
     */
    private static Duration earliest(
            Plan plan,
            StepId id,
            java.util.function.Function<StepSpec, Latencies> l,
            Duration ttl,
            Map<StepId, Duration> memo,
            Map<StepId, StepId> via,
            Optional<StepId> from) {
        Duration known = memo.get(id);
        if (known != null) {
            return known;
        }
        StepSpec s = plan.stepOrThrow(id);
        Duration start = Duration.ZERO;
        boolean afterFrom = from.isEmpty() || from.get().equals(id);
        if (from.isEmpty() || !from.get().equals(id)) {
            for (StepId d : s.dependsOn()) {
                Duration e = earliest(plan, d, l, ttl, memo, via, from);
                if (from.isPresent() && !dependsOn(plan, d, from.get())) {
                    continue;
                }
                afterFrom = true;
                if (e.compareTo(start) >= 0) {
                    start = e;
                    via.put(id, d);
                }
            }
        }
        Duration end = afterFrom ? start.plus(cost(s, l.apply(s), ttl)) : Duration.ZERO;
        memo.put(id, end);
        return end;
    }

    private static boolean dependsOn(Plan plan, StepId step, StepId ancestor) {
        if (step.equals(ancestor)) {
            return true;
        }
        return plan.stepOrThrow(step).dependsOn().stream().anyMatch(d -> dependsOn(plan, d, ancestor));
    }

    /** What a step's cloud work takes at the least, by the latency model: its kind says which operations. */
    static <S extends StepSpec> Duration cost(S s, Latencies l, Duration ttl) {
        java.util.function.Function<String, Duration> expected = op -> switch (op) {
            case Operations.DATABASE_SNAPSHOT -> l.databaseSnapshot();
            case Operations.VOLUME_SNAPSHOT -> l.volumeSnapshot();
            case Operations.DATABASE_RESTORE -> l.databaseRestore();
            case Operations.DATABASE_DELETE -> l.databaseDelete();
            case Operations.STACK_CREATE -> l.stackCreate();
            case Operations.STACK_UPDATE -> l.stackUpdate();
            case Operations.STACK_DELETE -> l.stackDelete();
            case Operations.CHANGE_SET -> l.changeSet();
            case Operations.DNS_SYNC -> l.dnsSync();
            case Operations.VOLUME_CREATE -> l.volumeCreate();
            case Operations.CHECK -> l.healthCheck();
            case Operations.TTL_WAIT -> ttl;
            // The simulated cloud's blue/green figures (SimBlueGreen: 20 min to create; the switchover AWS documents).
            case Operations.BLUE_GREEN_CREATE -> Duration.ofMinutes(20);
            case Operations.BLUE_GREEN_SWITCHOVER -> l.blueGreenSwitchover();
            default -> Duration.ZERO;
        };
        return StepKinds.builtIn().of(s).minimumDuration(s, expected);
    }
}
