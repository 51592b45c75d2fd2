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
     * The longest plan id. Names derived from it are never shortened (a shortened name can collide with
     * another); a plan whose derived names would pass the 63 characters RDS allows is refused, naming the
     * name and the fix. Idempotency tokens stay within CloudFormation's 128.
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
        out.addAll(plan.notifications().problems());
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
        List<StepId> downtimeStarts = plan.steps().stream()
                .filter(s -> flags(kinds, s).downtime() == StepSpec.Downtime.STARTS)
                .map(StepSpec::id)
                .toList();
        java.util.function.Predicate<StepId> afterDowntimeStarts =
                id -> downtimeStarts.stream().anyMatch(start -> Plan.dependsOn(id, start, byId));
        for (StepSpec step : plan.steps()) {
            String at = "steps[" + step.id() + "]";
            validateStep(kinds.rulesOf(step), step, new Validation(plan, at, out, afterDowntimeStarts));
            checkReferences(byId, builders, kinds, step, at, out);
        }
        checkNames(plan, kinds, out);
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
            checkReferences(byId, builders, kinds, step, at + "." + field.getKey(), refs, out);
        }
    }

    /**
     * The problems of references a step uses outside its own fields (a plan file's hook command, which the step
     * runs): each must be known when the step runs, as for the step's own fields. {@code at} names where they
     * are written, e.g. {@code hooks.backup.run}.
     */
    public static List<Problem> referenceProblems(
            Plan plan, StepRules.Lookup kinds, StepSpec step, String at, List<Expressions.Ref> refs) {
        Map<StepId, StepSpec> byId = plan.byId();
        List<StepSpec> builders =
                plan.steps().stream().filter(s -> flags(kinds, s).buildsGreen()).toList();
        List<Problem> out = new ArrayList<>();
        checkReferences(byId, builders, kinds, step, at, refs, out);
        return out;
    }

    private static void checkReferences(
            Map<StepId, StepSpec> byId,
            List<StepSpec> builders,
            StepRules.Lookup kinds,
            StepSpec step,
            String where,
            List<Expressions.Ref> refs,
            List<Problem> out) {
        for (Expressions.Ref ref : refs) {
            if (ref instanceof Expressions.StepOutput so) {
                Optional<StepSpec> source = Optional.ofNullable(byId.get(so.step()));
                if (source.isEmpty()) {
                    out.add(new Problem(where, ref.text() + " names no step of this plan"));
                } else if (!Plan.dependsOn(step.id(), so.step(), byId)) {
                    out.add(new Problem(
                            where,
                            ref.text() + " is an output of '" + so.step()
                                    + "', which this step does not depend on; add it to dependsOn"));
                } else if (!outputs(kinds, source.get()).gives(so.key())) {
                    out.add(new Problem(
                            where,
                            ref.text() + ": step '" + so.step() + "' ("
                                    + kinds.rulesOf(source.get()).name()
                                    + ") gives no output '" + so.key() + "'; it gives "
                                    + outputs(kinds, source.get()).describe()));
                }
            } else if (ref instanceof Expressions.StackRef sr && sr.side().equals("green")) {
                if (builders.size() != 1) {
                    out.add(new Problem(
                            where,
                            ref.text() + " needs exactly one clone-stack step " + "in the plan (found "
                                    + builders.size() + ")"));
                } else if (!Plan.dependsOn(step.id(), builders.get(0).id(), byId)) {
                    out.add(new Problem(
                            where,
                            ref.text() + " is known only after '"
                                    + builders.get(0).id() + "'; add it to dependsOn"));
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
        Map<String, StepSpec> movedBy = new LinkedHashMap<>();
        for (StepSpec sw : switches) {
            Optional<StepRules.TrafficMove> move = trafficMove(kinds, sw, plan);
            if (move.isEmpty()) {
                continue;
            }
            StepSpec first = movedBy.putIfAbsent(move.get().what(), sw);
            if (first != null) {
                StepRules.TrafficMove firstMove =
                        trafficMove(kinds, first, plan).orElseThrow();
                if (!firstMove.target().equals(move.get().target())) {
                    out.add(new Problem(
                            "steps[" + sw.id() + "]." + move.get().targetField(),
                            "'" + move.get().target() + "' is not where '" + first.id() + "' moves "
                                    + move.get().what()
                                    + " ('" + firstMove.target() + "'); a cutover moves users to one green, so "
                                    + "keep one switch of " + move.get().what() + " (a weighted switch-dns shifts it in"
                                    + " stages)"));
                }
            }
        }
        for (StepSpec d : decommissions) {
            Set<StepId> up = Plan.upstreamOf(d.id(), byId);
            List<StepSpec> switchesBefore =
                    switches.stream().filter(s -> up.contains(s.id())).toList();
            List<StepSpec> gates = plan.steps().stream()
                    .filter(s -> flags(kinds, s).gate() && up.contains(s.id()))
                    .toList();
            boolean clones = plan.steps().stream().anyMatch(s -> flags(kinds, s).buildsGreen());
            if (switchesBefore.isEmpty()) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "decommission would retire blue while users still reach it: no step moves traffic to a "
                                + "verified green before it" + (clones ? "" : " (and the plan builds no green)")
                                + "; make it depend on the switch-dns, switch-target-group or move-address step, itself after a verify"
                                + " step of green, with a bake or approval between them"));
            } else if (gates.isEmpty()) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "decommission is the point of no return and "
                                + "needs a gate; make it depend on a bake or an approval step"));
            } else if (gates.stream().noneMatch(g -> {
                Set<StepId> beforeGate = Plan.upstreamOf(g.id(), byId);
                return switchesBefore.stream().anyMatch(s -> beforeGate.contains(s.id()));
            })) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "its gate "
                                + gates.stream().map(g -> "'" + g.id() + "'").toList()
                                + " comes before users move to green, so nothing proves green while it carries"
                                + " traffic; decommission needs a bake or approval after the switch: make one"
                                + " depend on '" + switchesBefore.get(0).id() + "' and decommission on it"));
            }
        }
    }

    private static <S extends StepSpec> Optional<StepRules.TrafficMove> trafficMove(
            StepRules.Lookup kinds, S step, Plan plan) {
        return kinds.rulesOf(step).trafficMove(step, plan);
    }

    /**
     * The names the steps give to what they create: none may be one of blue's resources, none may pass the
     * cloud's limit (derived names are never shortened: a shortened name can collide), and no two may be the
     * same, compared ignoring case as RDS does. A name that holds a reference known only at run time is checked
     * when the step resolves it.
     */
    private static void checkNames(Plan plan, StepRules.Lookup kinds, List<Problem> out) {
        record Named(StepId step, StepRules.CreatedName name) {}
        Map<String, Named> seen = new HashMap<>();
        for (StepSpec step : plan.steps()) {
            for (StepRules.CreatedName n : createdNames(kinds, step, plan)) {
                String at = "steps[" + step.id() + "]" + (n.field().isEmpty() ? "" : "." + n.field());
                Optional<String> value = Validation.staticValue(n.name(), plan);
                if (value.isEmpty()) {
                    continue;
                }
                String v = value.get();
                String shown = "'" + v + "'" + (v.equals(n.name()) ? "" : " (from '" + n.name() + "')");
                String fix = n.field().isEmpty()
                        ? "give the step (or the plan) a shorter or different id"
                        : "choose another " + n.field();
                if (v.length() > n.namespace().limit()) {
                    out.add(new Problem(
                            at,
                            shown + ", the name of " + n.what() + ", is " + v.length()
                                    + " characters long; the limit is "
                                    + n.namespace().limit() + " and Cutover never shortens a name (a shortened name can"
                                    + " collide with another); " + fix));
                    continue;
                }
                Validation.blueClash(plan.environment(), n.namespace(), v)
                        .ifPresent(m -> out.add(
                                new Problem(at, v.equals(n.name()) ? m : m + " (resolved from '" + n.name() + "')")));
                Named prior = seen.putIfAbsent(
                        n.namespace() + "/" + v.toLowerCase(java.util.Locale.ROOT), new Named(step.id(), n));
                if (prior != null) {
                    out.add(new Problem(
                            at,
                            shown + ", the name of " + n.what() + ", is also the name of "
                                    + prior.name().what() + " (step '" + prior.step()
                                    + "'); one would be taken for the other, so " + fix));
                }
            }
        }
    }

    private static <S extends StepSpec> List<StepRules.CreatedName> createdNames(
            StepRules.Lookup kinds, S step, Plan plan) {
        return kinds.rulesOf(step).createdNames(step, plan);
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
