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
    public static Plan validate(Plan plan) {
        List<Problem> problems = problems(plan);
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        return plan;
    }

    public static List<Problem> problems(Plan plan) {
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
        List<StepSpec> clones = plan.steps().stream()
                .filter(s -> s instanceof StepSpec.CloneStack)
                .toList();
        for (StepSpec step : plan.steps()) {
            checkStep(plan, step, "steps[" + step.id() + "]", out);
            checkReferences(byId, clones, step, "steps[" + step.id() + "]", out);
        }
        checkOrder(plan, byId, out);
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

    private static void checkDatabase(Database db, String at, List<Problem> out) {
        if (db == null) {
            out.add(new Problem(at, "is missing; name the database by kind (instance or cluster) and id"));
            return;
        }
        Identifiers.checkDatabaseId(db.id()).ifPresent(m -> out.add(new Problem(at + ".id", m)));
    }

    private static void checkRecord(DnsRecord r, String at, List<Problem> out) {
        Identifiers.checkHostedZoneId(r.zoneId()).ifPresent(m -> out.add(new Problem(at + ".zoneId", m)));
        Identifiers.checkDnsName(r.name()).ifPresent(m -> out.add(new Problem(at + ".name", m)));
        if (r.type() == null || !Set.of("A", "AAAA", "CNAME").contains(r.type())) {
            out.add(new Problem(at + ".type", "'" + r.type() + "' cannot be switched; use A, AAAA or CNAME"));
        }
    }

    private static void checkStep(Plan plan, StepSpec step, String at, List<Problem> out) {
        Environment env = plan.environment();
        if (step instanceof StepSpec.Hook h) {
            if (h.hook() == null || h.hook().isBlank()) {
                out.add(new Problem(at + ".hook", "is missing; name a hook registered with the engine"));
            }
        } else if (step instanceof StepSpec.SnapshotDatabase s) {
            checkDatabase(s.database(), at + ".database", out);
            if (s.database() != null
                    && env.databases().stream()
                            .noneMatch(d -> d.id().equals(s.database().id()))) {
                out.add(new Problem(
                        at + ".database.id",
                        "'" + s.database().id() + "' is not a database of environment '" + env.name()
                                + "'; add it to environment.databases"));
            }
        } else if (step instanceof StepSpec.SnapshotVolume s) {
            if (s.volume() == null) {
                out.add(new Problem(
                        at + ".volume", "is missing; name a volume of the environment, e.g. vol-0123456789abcdef0"));
            } else if (!s.volume().contains("${")) {
                Identifiers.checkVolumeId(s.volume()).ifPresent(m -> out.add(new Problem(at + ".volume", m)));
            }
        } else if (step instanceof StepSpec.RestoreDatabase r) {
            checkDatabase(r.source(), at + ".source", out);
            if (r.snapshot() == null || r.snapshot().isBlank()) {
                out.add(new Problem(at + ".snapshot", "is missing; e.g. ${snapshot-db.snapshotId}"));
            } else if (!r.snapshot().contains("${") && r.source() != null) {
                Identifiers.checkSnapshotId(
                                r.snapshot(), r.source().kind() == io.cutover.spi.DatabaseProvider.Kind.CLUSTER)
                        .ifPresent(m -> out.add(new Problem(at + ".snapshot", m)));
            }
            r.newId()
                    .filter(n -> !n.contains("${"))
                    .ifPresent(n ->
                            Identifiers.checkDatabaseId(n).ifPresent(m -> out.add(new Problem(at + ".newId", m))));
        } else if (step instanceof StepSpec.CloneStack c) {
            if (c.stackName() == null || !c.stackName().contains("${")) {
                Identifiers.checkStackName(c.stackName()).ifPresent(m -> out.add(new Problem(at + ".stackName", m)));
            }
            if (c.stackName() != null && c.stackName().equals(env.stack())) {
                out.add(new Problem(
                        at + ".stackName",
                        "'" + c.stackName() + "' is blue's stack; green needs a new name, e.g. '" + env.stack() + "-"
                                + plan.id() + "'"));
            }
            checkTemplate(c.template(), at + ".template", out);
        } else if (step instanceof StepSpec.UpdateStack u) {
            if (u.stack() == null || u.stack().isBlank()) {
                out.add(new Problem(at + ".stack", "is missing; e.g. " + env.stack() + " or ${green.stack}"));
            }
            u.template().ifPresent(t -> checkTemplate(t, at + ".template", out));
            u.storageGuard().ifPresent(g -> {
                if (g.parameter() == null || g.parameter().isBlank()) {
                    out.add(new Problem(
                            at + ".storageGuard.parameter",
                            "is missing; name the template parameter " + "that sets the database's allocated storage"));
                }
                checkDatabase(g.database(), at + ".storageGuard.database", out);
            });
        } else if (step instanceof StepSpec.Verify v) {
            if (v.checks().isEmpty()) {
                out.add(new Problem(at + ".checks", "is empty; a verification needs at least one check"));
            }
            checkChecks(v.checks(), at + ".checks", out);
            bounded(v.timeout(), MAX_VERIFY_TIMEOUT, at + ".timeout", out);
            bounded(v.interval(), MAX_INTERVAL, at + ".interval", out);
        } else if (step instanceof StepSpec.LowerTtl t) {
            Optional<DnsRecord> r = t.record().or(env::dns);
            if (r.isEmpty()) {
                out.add(new Problem(at + ".record", "is missing and the environment has no dns record"));
            } else {
                checkRecord(r.get(), at + ".record", out);
            }
            if (t.ttl() < 0 || t.ttl() > 2_147_483_647L) {
                out.add(new Problem(
                        at + ".ttl",
                        t.ttl() + " is out of range; a TTL is 0 to 2147483647 seconds "
                                + "(60 is usual ahead of a cutover)"));
            }
        } else if (step instanceof StepSpec.SwitchDns s) {
            Optional<DnsRecord> r = s.record().or(env::dns);
            if (r.isEmpty()) {
                out.add(new Problem(at + ".record", "is missing and the environment has no dns record"));
            } else {
                checkRecord(r.get(), at + ".record", out);
                if (!s.weights().isEmpty() && r.get().setIdentifier().isEmpty()) {
                    out.add(new Problem(
                            at + ".record.setIdentifier",
                            "a weighted switch needs blue's weighted " + "record; give its set identifier"));
                }
            }
            if (s.target() == null || s.target().isBlank()) {
                out.add(new Problem(at + ".target", "is missing; e.g. ${green.outputs.Endpoint}"));
            }
            int previous = -1;
            for (int i = 0; i < s.weights().size(); i++) {
                int w = s.weights().get(i);
                if (w < 0 || w > 255) {
                    out.add(new Problem(at + ".weights[" + i + "]", w + " is out of range; weights are 0 to 255"));
                } else if (w <= previous) {
                    out.add(new Problem(
                            at + ".weights[" + i + "]",
                            w + " is not above the stage before (" + previous
                                    + "); green's weight must grow at each stage"));
                }
                previous = w;
            }
            if (!s.weights().isEmpty() && previous != 255) {
                out.add(new Problem(at + ".weights", "the last stage must give green all traffic (255)"));
            }
            checkChecks(s.stageChecks(), at + ".stageChecks", out);
            bounded(s.stageInterval(), MAX_INTERVAL, at + ".stageInterval", out);
        } else if (step instanceof StepSpec.MoveAddress m) {
            Optional<String> alloc = m.allocationId().or(env::address);
            if (alloc.isEmpty()) {
                out.add(new Problem(at + ".allocationId", "is missing and the environment has no address"));
            } else {
                Identifiers.checkAllocationId(alloc.get())
                        .ifPresent(x -> out.add(new Problem(at + ".allocationId", x)));
            }
            if (m.instance() == null || m.instance().isBlank()) {
                out.add(new Problem(at + ".instance", "is missing; e.g. ${green.outputs.InstanceId}"));
            }
        } else if (step instanceof StepSpec.Bake b) {
            bounded(b.duration(), MAX_BAKE, at + ".duration", out);
            bounded(b.interval(), MAX_INTERVAL, at + ".interval", out);
            checkChecks(b.checks(), at + ".checks", out);
        }
    }

    private static void checkTemplate(StepSpec.TemplateRef t, String at, List<Problem> out) {
        if (t == null || t.body().isPresent() == t.url().isPresent()) {
            out.add(new Problem(at, "give exactly one of body (or file, in a plan file) and url"));
        } else {
            t.url().flatMap(Identifiers::checkTemplateUrl).ifPresent(m -> out.add(new Problem(at + ".url", m)));
        }
    }

    private static void checkChecks(List<Check> checks, String at, List<Problem> out) {
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (c instanceof Check.Http h) {
                if (h.url() == null
                        || !(h.url().startsWith("http://") || h.url().startsWith("https://"))) {
                    out.add(new Problem(
                            at + "[" + i + "].url",
                            "'" + h.url() + "' is not an http(s) URL; e.g. https://${green.outputs.Endpoint}/health"));
                }
                if (h.expectStatus() < 100 || h.expectStatus() > 599) {
                    out.add(new Problem(at + "[" + i + "].expectStatus", h.expectStatus() + " is not an HTTP status"));
                }
                bounded(h.timeout(), MAX_CHECK_TIMEOUT, at + "[" + i + "].timeout", out);
            } else if (c instanceof Check.Custom cc
                    && (cc.name() == null || cc.name().isBlank())) {
                out.add(new Problem(at + "[" + i + "].name", "is missing; name a check registered with the engine"));
            }
        }
    }

    /** A duration more than zero and at most {@code max}. */
    private static void bounded(Duration d, Duration max, String at, List<Problem> out) {
        if (d == null || d.isNegative() || d.isZero()) {
            out.add(new Problem(
                    at,
                    (d == null ? "is missing" : d + " is not positive") + "; give a duration above 0 and at most " + max
                            + ", e.g. PT5M"));
        } else if (d.compareTo(max) > 0) {
            out.add(new Problem(at, d + " is longer than the " + max + " allowed here; give a shorter one"));
        }
    }

    private static void checkReferences(
            Map<StepId, StepSpec> byId, List<StepSpec> clones, StepSpec step, String at, List<Problem> out) {
        for (Map.Entry<String, String> field : textFields(step).entrySet()) {
            List<Expressions.Ref> refs;
            try {
                refs = Expressions.parse(field.getValue());
            } catch (IllegalArgumentException e) {
                out.add(new Problem(at + "." + field.getKey(), e.getMessage()));
                continue;
            }
            for (Expressions.Ref ref : refs) {
                if (ref instanceof Expressions.StepOutput so) {
                    if (!byId.containsKey(so.step())) {
                        out.add(new Problem(at + "." + field.getKey(), ref.text() + " names no step of this plan"));
                    } else if (!Plan.dependsOn(step.id(), so.step(), byId)) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " is an output of '" + so.step()
                                        + "', which this step does not depend on; add it to dependsOn"));
                    }
                } else if (ref instanceof Expressions.StackRef sr && sr.side().equals("green")) {
                    if (clones.size() != 1) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " needs exactly one clone-stack step " + "in the plan (found "
                                        + clones.size() + ")"));
                    } else if (!Plan.dependsOn(step.id(), clones.get(0).id(), byId)) {
                        out.add(new Problem(
                                at + "." + field.getKey(),
                                ref.text() + " is known only after '"
                                        + clones.get(0).id() + "'; add it to dependsOn"));
                    }
                }
            }
        }
    }

    /** The health checks a step runs: a verification's, a bake's, or those between a weighted switch's stages. */
    public static List<Check> checksOf(StepSpec step) {
        if (step instanceof StepSpec.Verify v) {
            return v.checks();
        } else if (step instanceof StepSpec.Bake b) {
            return b.checks();
        } else if (step instanceof StepSpec.SwitchDns d) {
            return d.stageChecks();
        }
        return List.of();
    }

    /** The text fields of a step that may hold references, by field name (e.g. {@code parameters.X}). */
    public static Map<String, String> textFieldsOf(StepSpec step) {
        return textFields(step);
    }

    /** The text fields of a step that may hold references, by field name. */
    static Map<String, String> textFields(StepSpec step) {
        Map<String, String> f = new LinkedHashMap<>();
        if (step instanceof StepSpec.SnapshotVolume s) {
            f.put("volume", s.volume());
        } else if (step instanceof StepSpec.RestoreDatabase r) {
            f.put("snapshot", r.snapshot());
            r.newId().ifPresent(v -> f.put("newId", v));
        } else if (step instanceof StepSpec.CloneStack c) {
            f.put("stackName", c.stackName());
            c.parameters().forEach((k, v) -> f.put("parameters." + k, v));
            c.tags().forEach((k, v) -> f.put("tags." + k, v));
        } else if (step instanceof StepSpec.UpdateStack u) {
            f.put("stack", u.stack());
            u.parameters().forEach((k, v) -> f.put("parameters." + k, v));
        } else if (step instanceof StepSpec.Verify v) {
            checkFields(v.checks(), "checks", f);
        } else if (step instanceof StepSpec.SwitchDns s) {
            f.put("target", s.target());
            checkFields(s.stageChecks(), "stageChecks", f);
        } else if (step instanceof StepSpec.MoveAddress m) {
            f.put("instance", m.instance());
        } else if (step instanceof StepSpec.Bake b) {
            checkFields(b.checks(), "checks", f);
        }
        f.values().removeIf(v -> v == null);
        return f;
    }

    private static void checkFields(List<Check> checks, String name, Map<String, String> f) {
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i) instanceof Check.Http h) {
                f.put(name + "[" + i + "].url", h.url());
            }
        }
    }

    private static void checkOrder(Plan plan, Map<StepId, StepSpec> byId, List<Problem> out) {
        List<StepSpec> switches =
                plan.steps().stream().filter(StepSpec::switchesTraffic).toList();
        for (StepSpec sw : switches) {
            Set<StepId> up = Plan.upstreamOf(sw.id(), byId);
            boolean verified = plan.steps().stream().anyMatch(s -> s instanceof StepSpec.Verify && up.contains(s.id()));
            if (!verified) {
                out.add(new Problem(
                        "steps[" + sw.id() + "].dependsOn",
                        "moves traffic to green, but no verify step "
                                + "comes before it; make it depend on a verify step of green"));
            }
        }
        List<StepSpec> decommissions = plan.steps().stream()
                .filter(s -> s instanceof StepSpec.Decommission)
                .toList();
        if (decommissions.size() > 1) {
            out.add(new Problem("steps", "the plan has " + decommissions.size() + " decommission steps; keep one"));
        }
        for (StepSpec d : decommissions) {
            Set<StepId> up = Plan.upstreamOf(d.id(), byId);
            boolean gated = plan.steps().stream()
                    .anyMatch(
                            s -> (s instanceof StepSpec.Bake || s instanceof StepSpec.Approval) && up.contains(s.id()));
            if (!gated) {
                out.add(new Problem(
                        "steps[" + d.id() + "].dependsOn",
                        "decommission is the point of no return and "
                                + "needs a gate; make it depend on a bake or an approval step"));
            }
            boolean switched = switches.stream().anyMatch(s -> up.contains(s.id()));
            boolean clones = plan.steps().stream().anyMatch(s -> s instanceof StepSpec.CloneStack);
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
