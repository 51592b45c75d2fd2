package io.cutover.plan;

import io.cutover.InvalidPlanException;
import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.DnsRecord;
import io.cutover.plan.StepSpec.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a plan before anything runs: ids and names the cloud would reject, missing fields, dependencies
 * that do not exist or form a cycle, references to outputs that no earlier step gives, and orders that
 * would be unsafe (traffic moved to a stack nothing verified, blue retired without a gate).
 */
public final class PlanValidator {
    /**
     * The longest plan id. Names derived from it and a step id are cut to the 63 characters RDS allows (with
     * a hash to keep them unique), and idempotency tokens stay within CloudFormation's 128; past 40
     * characters the names stop being readable.
     */
    public static final int MAX_PLAN_ID = 40;

    /** The longest a verification may wait for its checks ({@code verify.timeout}). */
    public static final Duration MAX_VERIFY_TIMEOUT = Duration.ofHours(24);
    /** The longest bake ({@code bake.duration}). */
    public static final Duration MAX_BAKE = Duration.ofDays(30);
    /** The longest time between two rounds of checks or two weighted stages ({@code interval}, {@code stageInterval}). */
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);
    /** The longest one HTTP check may take ({@code checks[].timeout}). */
    public static final Duration MAX_CHECK_TIMEOUT = Duration.ofMinutes(5);

    private PlanValidator() {}

    /** Throws {@link InvalidPlanException} listing every problem, or returns the plan unchanged. */
    public static Plan validate(Plan plan, StepRules.Lookup kinds) {
        List<Problem> problems = problems(plan, kinds);
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        return plan;
    }

    /** Each time limit within its bounds, and each step limit on a step of the plan. */
    private static void checkLimits(TimeLimits limits, Map<StepId, StepSpec> byId, List<Problem> out) {
        limits.operationTimeout()
                .filter(d -> !TimeLimits.inBounds(d))
                .ifPresent(d -> out.add(new Problem("defaults.operationTimeout", outOfBounds(d))));
        limits.steps().forEach((id, d) -> {
            String at = "steps[" + id + "].timeout";
            if (!byId.containsKey(id)) {
                out.add(new Problem(
                        at, "names '" + id + "', which is not a step of this plan; known steps: " + byId.keySet()));
            } else if (!TimeLimits.inBounds(d)) {
                out.add(new Problem(at, outOfBounds(d)));
            }
        });
    }

    private static String outOfBounds(java.time.Duration d) {
        return TimeLimits.describe(d) + " is out of range; a time limit is at least "
                + TimeLimits.describe(TimeLimits.MIN) + " and at most "
                + TimeLimits.describe(TimeLimits.MAX) + ", e.g. 6h";
    }

    public static List<Problem> problems(Plan plan, StepRules.Lookup kinds) {
        List<Problem> out = new ArrayList<>();
        checkPlanId(plan.id(), out);
        checkEnvironment(plan.environment(), out);
        if (plan.steps().isEmpty()) {
            out.add(new Problem("steps", "the plan has no steps; add at least one, or build it with a strategy"));
            return out;
        }
        int beforeGraph = out.size();
        Map<StepId, StepSpec> byId = new LinkedHashMap<>();
        for (StepSpec step : plan.steps()) {
            String at = "steps[" + (step.id() == null ? "?" : step.id()) + "]";
            if (step.id() == null) {
                out.add(new Problem(at + ".id", "is missing; give each step an id such as 'snapshot-db'"));
                continue;
            }
            Identifiers.checkStepId(step.id().value()).ifPresent(m -> out.add(new Problem(at + ".id", m)));
            if (byId.put(step.id(), step) != null) {
                out.add(new Problem(at + ".id", "'" + step.id() + "' is used by two steps; step ids must be unique"));
            }
        }
        for (StepSpec step : plan.steps()) {
            if (step.id() == null) {
                continue;
            }
            String at = "steps[" + step.id() + "]";
            for (StepId dep : step.dependsOn()) {
                if (!byId.containsKey(dep)) {
                    out.add(new Problem(
                            at + ".dependsOn",
                            "names '" + dep + "', which is not a step of this plan; " + "known steps: "
                                    + byId.keySet()));
                } else if (dep.equals(step.id())) {
                    out.add(new Problem(at + ".dependsOn", "a step cannot depend on itself"));
                }
            }
        }
        List<StepId> cycle = findCycle(byId);
        if (!cycle.isEmpty()) {
            out.add(new Problem(
                    "steps",
                    "the dependencies form a cycle: "
                            + String.join(
                                    " -> ", cycle.stream().map(StepId::value).toList())
                            + "; remove one of these dependencies"));
            return out;
        }
        if (out.size() > beforeGraph) {
            // Step fields and references are checked only on a graph that holds together.
            return out;
        }
        List<StepSpec> builders =
                plan.steps().stream().filter(s -> flags(kinds, s).buildsGreen()).toList();
        for (StepSpec step : plan.steps()) {
            String at = "steps[" + step.id() + "]";
            validateStep(kinds.rulesOf(step), step, new Validation(plan, at, out));
            checkReferences(byId, builders, kinds, step, at, out);
        }
        checkOrder(plan, byId, kinds, out);
        checkLimits(plan.limits(), byId, out);
        return out;
    }

    private static void checkPlanId(String id, List<Problem> out) {
        Optional<String> bad = Identifiers.checkStepId(id);
        if (bad.isPresent()) {
            out.add(new Problem("id", bad.get()));
        } else if (id.length() > MAX_PLAN_ID) {
            out.add(new Problem(
                    "id",
                    "'" + id + "' is longer than " + MAX_PLAN_ID
                            + " characters; the snapshot and database names derived from it would be cut short"));
        }
    }

    private static void checkEnvironment(Environment env, List<Problem> out) {
        Identifiers.checkEnvironmentName(env.name()).ifPresent(m -> out.add(new Problem("environment.name", m)));
        Identifiers.checkStackName(env.stack()).ifPresent(m -> out.add(new Problem("environment.stack", m)));
        Map<String, Integer> dbs = new HashMap<>();
        for (int i = 0; i < env.databases().size(); i++) {
            checkDatabase(env.databases().get(i), "environment.databases[" + i + "]", out);
            Database db = env.databases().get(i);
            Integer first = db == null || db.id() == null
                    ? null
                    : dbs.putIfAbsent(db.id().toLowerCase(), i);
            if (first != null) {
                out.add(new Problem(
                        "environment.databases[" + i + "].id",
                        "'" + db.id() + "' is listed twice (also environment.databases[" + first
                                + "]; RDS ids ignore case); list each database once"));
            }
        }
        Map<String, Integer> vols = new HashMap<>();
        for (int i = 0; i < env.volumes().size(); i++) {
            String at = "environment.volumes[" + i + "]";
            Identifiers.checkVolumeId(env.volumes().get(i)).ifPresent(m -> out.add(new Problem(at, m)));
            Integer first = env.volumes().get(i) == null
                    ? null
                    : vols.putIfAbsent(env.volumes().get(i), i);
            if (first != null) {
                out.add(new Problem(
                        at,
                        "'" + env.volumes().get(i) + "' is listed twice (also environment.volumes[" + first
                                + "]); list each volume once"));
            }
        }
        env.dns().ifPresent(r -> checkRecord(r, "environment.dns", out));
        env.address()
                .ifPresent(a -> Identifiers.checkAllocationId(a)
                        .ifPresent(m -> out.add(new Problem("environment.address", m))));
    }

    static void checkDatabase(Database db, String at, List<Problem> out) {
        if (db == null) {
            out.add(new Problem(at, "is missing; name the database by kind (instance or cluster) and id"));
            return;
        }
        Identifiers.checkDatabaseId(db.id()).ifPresent(m -> out.add(new Problem(at + ".id", m)));
    }

    static void checkRecord(DnsRecord r, String at, List<Problem> out) {
        Identifiers.checkHostedZoneId(r.zoneId()).ifPresent(m -> out.add(new Problem(at + ".zoneId", m)));
        Identifiers.checkDnsName(r.name()).ifPresent(m -> out.add(new Problem(at + ".name", m)));
        if (r.type() == null || !Validation.SWITCHABLE.contains(r.type())) {
            out.add(new Problem(at + ".type", "'" + r.type() + "' cannot be switched; use A, AAAA or CNAME"));
        }
    }

    /** A duration more than zero and at most {@code max}. */
    static void bounded(Duration d, Duration max, String at, List<Problem> out) {
        if (d == null || d.isNegative() || d.isZero()) {
            out.add(new Problem(
                    at,
                    (d == null ? "is missing" : d + " is not positive") + "; give a duration above 0 and at most " + max
                            + ", e.g. PT5M"));
        } else if (d.compareTo(max) > 0) {
            out.add(new Problem(at, d + " is longer than the " + max + " allowed here; give a shorter one"));
        }
    }

    private static <S extends StepSpec> void validateStep(StepRules<S> rules, S step, Validation v) {
        rules.validate(step, v);
    }

    private static void checkReferences(
            Map<StepId, StepSpec> byId,
            List<StepSpec> builders,
            StepRules.Lookup kinds,
            StepSpec step,
            String at,
            List<Problem> out) {
        for (Map.Entry<String, String> field : textFields(kinds, step).entrySet()) {
            List<Expressions.Ref> refs;
            try {
                refs = Expressions.parse(field.getValue());
            } catch (IllegalArgumentException e) {
                out.add(new Problem(at + "." + field.getKey(), e.getMessage()));
                continue;
            }
            for (Expressions.Ref ref : refs) {
                if (ref instanceof Expressions.StepOutput so) {
                    Optional<StepSpec> source = Optional.ofNullable(byId.get(so.step()));
                    if (source.isEmpty()) {
                        out.add(new Problem(at + "." + field.getKey(), ref.text() + " names no step of this plan"));
                    } else if (!Plan.dependsOn(step.id(), so.step(), byId)) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " is an output of '" + so.step()
                                        + "', which this step does not depend on; add it to dependsOn"));
                    } else if (!outputs(kinds, source.get()).gives(so.key())) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + ": step '" + so.step() + "' ("
                                        + kinds.rulesOf(source.get()).name()
                                        + ") gives no output '" + so.key() + "'; it gives "
                                        + outputs(kinds, source.get()).describe()));
                    }
                } else if (ref instanceof Expressions.StackRef sr && sr.side().equals("green")) {
                    if (builders.size() != 1) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " needs exactly one clone-stack step " + "in the plan (found "
                                        + builders.size() + ")"));
                    } else if (!Plan.dependsOn(step.id(), builders.get(0).id(), byId)) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " is known only after '"
                                        + builders.get(0).id() + "'; add it to dependsOn"));
                    }
                }
            }
        }
    }

    /** The health checks a step runs: a verification's, a bake's, or those between a weighted switch's stages. */
    public static <S extends StepSpec> List<Check> checksOf(StepRules.Lookup kinds, S step) {
        return kinds.rulesOf(step).checks(step);
    }

    /** The text fields of a step that may hold references, by field name (e.g. {@code parameters.X}). */
    public static <S extends StepSpec> Map<String, String> textFields(StepRules.Lookup kinds, S step) {
        Map<String, String> f = new LinkedHashMap<>(kinds.rulesOf(step).textFields(step));
        f.values().removeIf(v -> v == null);
        return f;
    }

    /** The flags of a step's kind. */
    public static <S extends StepSpec> StepRules.Flags flags(StepRules.Lookup kinds, S step) {
        return kinds.rulesOf(step).flags(step);
    }

    private static <S extends StepSpec> StepRules.Outputs outputs(StepRules.Lookup kinds, S step) {
        return kinds.rulesOf(step).outputs(step);
    }

    private static void checkOrder(Plan plan, Map<StepId, StepSpec> byId, StepRules.Lookup kinds, List<Problem> out) {
        List<StepSpec> switches = plan.steps().stream()
                .filter(s -> flags(kinds, s).movesTraffic())
                .toList();
        for (StepSpec sw : switches) {
            Set<StepId> up = Plan.upstreamOf(sw.id(), byId);
            boolean verified =
                    plan.steps().stream().anyMatch(s -> flags(kinds, s).verifiesGreen() && up.contains(s.id()));
            if (!verified) {
                out.add(new Problem(
                        "steps[" + sw.id() + "].dependsOn",
                        "moves traffic to green, but no verify step "
                                + "comes before it; make it depend on a verify step of green"));
            }
        }
        List<StepSpec> decommissions = plan.steps().stream()
                .filter(s -> flags(kinds, s).pointOfNoReturn())
                .toList();
        if (decommissions.size() > 1) {
            out.add(new Problem("steps", "the plan has " + decommissions.size() + " decommission steps; keep one"));
        }
        for (StepSpec d : decommissions) {
            Set<StepId> up = Plan.upstreamOf(d.id(), byId);
            boolean gated = plan.steps().stream().anyMatch(s -> flags(kinds, s).gate() && up.contains(s.id()));
            if (!gated) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "decommission is the point of no return and "
                                + "needs a gate; make it depend on a bake or an approval step"));
            }
            boolean switched = switches.stream().anyMatch(s -> up.contains(s.id()));
            boolean clones = plan.steps().stream().anyMatch(s -> flags(kinds, s).buildsGreen());
            if (clones && !switched) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "decommission would retire blue while users "
                                + "still reach it; make it depend on the switch-dns or move-address step"));
            }
        }
    }

    /** A cycle of dependencies, if there is one; iterative, so that a chain of 10,000 steps is no deep recursion. */
    private static List<StepId> findCycle(Map<StepId, StepSpec> byId) {
        Set<StepId> done = new HashSet<>();
        for (StepId start : byId.keySet()) {
            if (done.contains(start)) {
                continue;
            }
            List<StepId> path = new ArrayList<>();
            Map<StepId, Integer> onPath = new HashMap<>();
            List<java.util.Iterator<StepId>> next = new ArrayList<>();
            path.add(start);
            onPath.put(start, 0);
            next.add(byId.get(start).dependsOn().iterator());
            while (!path.isEmpty()) {
                java.util.Iterator<StepId> it = next.get(next.size() - 1);
                if (!it.hasNext()) {
                    StepId finished = path.remove(path.size() - 1);
                    next.remove(next.size() - 1);
                    onPath.remove(finished);
                    done.add(finished);
                    continue;
                }
                StepId dep = it.next();
                Integer at = onPath.get(dep);
                if (at != null) {
                    List<StepId> cycle = new ArrayList<>(path.subList(at, path.size()));
                    cycle.add(dep);
                    return cycle;
                }
                StepSpec step = byId.get(dep);
                if (step == null || done.contains(dep)) {
                    continue;
                }
                onPath.put(dep, path.size());
                path.add(dep);
                next.add(step.dependsOn().iterator());
            }
        }
        return List.of();
    }
}
