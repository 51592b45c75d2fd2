package io.cutover.engine;

import io.cutover.FailureType;
import io.cutover.InvalidPlanException;
import io.cutover.InvalidPlanException.Problem;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.step.Hooks;
import io.cutover.step.PreflightReads;
import io.cutover.step.StepKind;
import io.cutover.step.kinds.StepKinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything checked before a cutover changes anything: the plan's own fields, the hooks and checks it
 * names, and, with read-only calls, that every stack, database, volume, zone, record and address it names
 * exists, that its templates are accepted, and that green's name is free.
 */
final class Preflight {
    /** Whether the first throttled or transient read ends the check (rethrown) rather than counting. */
    private final boolean rethrowRetryable;
    /** Attempts of one read when it is not rethrown ({@link RetryPolicy#readAttempts()}). */
    private final int readAttempts;

    private Preflight(boolean rethrowRetryable, int readAttempts) {
        this.rethrowRetryable = rethrowRetryable;
        this.readAttempts = readAttempts;
    }

    /**
     * With {@code rethrowRetryable}, the first throttled or transient read ends the check by rethrowing it, so
     * the caller can try the whole (read-only) check again later instead of refusing the plan.
     */
    static java.util.Map<io.cutover.plan.StepId, java.util.Map<String, String>> check(
            Plan plan,
            StepKinds kinds,
            CloudProvider cloud,
            Hooks hooks,
            java.util.function.Function<String, String> environmentVariables,
            boolean rethrowRetryable,
            RetryPolicy retries) {
        PlanValidator.validate(plan, kinds);
        Preflight p = new Preflight(rethrowRetryable, retries.readAttempts());
        p.checkCloud(plan, kinds, cloud, hooks, environmentVariables);
        return java.util.Map.copyOf(p.remembered);
    }

    /** What each step's preflight handed to its first call ({@link PreflightReads#remember}). */
    private final java.util.Map<io.cutover.plan.StepId, java.util.Map<String, String>> remembered =
            new java.util.LinkedHashMap<>();

    private void checkCloud(
            Plan plan,
            StepKinds kinds,
            CloudProvider cloud,
            Hooks hooks,
            java.util.function.Function<String, String> environmentVariables) {
        List<Problem> out = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            PlanValidator.textFields(kinds, s).forEach((field, text) -> {
                for (io.cutover.plan.Expressions.Ref r : io.cutover.plan.Expressions.parse(text)) {
                    if (r instanceof io.cutover.plan.Expressions.EnvVar e
                            && environmentVariables.apply(e.name()) == null) {
                        out.add(new Problem(
                                "steps[" + s.id() + "]." + field,
                                r.text() + ": environment variable " + e.name()
                                        + " is not set; export it before running the cutover"));
                    }
                }
            });
        }
        for (StepSpec s : plan.steps()) {
            String at = "steps[" + s.id() + "]";
            kinds.of(s).hooks(s).forEach((field, name) -> {
                if (!hooks.hookNames().contains(name)) {
                    out.add(new Problem(
                            at + "." + field,
                            "no hook named '" + name + "' is registered with the engine; " + "registered: "
                                    + hooks.hookNames()));
                }
            });
            for (StepSpec.Check c : PlanValidator.checksOf(kinds, s)) {
                if (c instanceof StepSpec.Check.Custom cc && !hooks.checkNames().contains(cc.name())) {
                    out.add(new Problem(
                            at + ".checks",
                            "no check named '" + cc.name() + "' is registered with the engine; " + "registered: "
                                    + hooks.checkNames()));
                }
            }
        }
        checkAlarms(plan, kinds, cloud, out);
        Environment env = plan.environment();
        call(out, "environment.stack", "stack '" + env.stack() + "'", () -> {
            var d = cloud.stacks().describe(env.stack());
            if (d.state() == StackProvider.StackState.DELETED) {
                throw ProviderException.notFound("DescribeStacks", "stack " + env.stack());
            }
        });
        for (int i = 0; i < env.databases().size(); i++) {
            Environment.Database db = env.databases().get(i);
            call(
                    out,
                    "environment.databases[" + i + "]",
                    db.kind().name().toLowerCase() + " database '" + db.id() + "'",
                    () -> cloud.databases().describe(db.kind(), db.id()));
        }
        for (int i = 0; i < env.volumes().size(); i++) {
            String v = env.volumes().get(i);
            call(
                    out,
                    "environment.volumes[" + i + "]",
                    "volume '" + v + "'",
                    () -> cloud.volumes().describe(v));
        }
        // One read proves both: ListResourceRecordSets answers NoSuchHostedZone for a zone that does not exist
        // (its only not-found error; a missing record is an empty list), so no GetHostedZone is made.
        env.dns().ifPresent(r -> {
            List<Problem> zone = new ArrayList<>();
            call(
                    zone,
                    "environment.dns.zoneId",
                    "hosted zone '" + r.zoneId() + "'",
                    () -> cloud.dns().records(r.zoneId(), r.name(), r.type()));
            if (!zone.isEmpty()) {
                out.addAll(zone);
                return;
            }
            call(out, "environment.dns.name", "record " + r.name() + " " + r.type(), () -> {
                // the same read, answered again by the preflight's view (each of its reads is made once)
                boolean found = cloud.dns().records(r.zoneId(), r.name(), r.type()).stream()
                        .anyMatch(s ->
                                r.setIdentifier().isEmpty() || s.setIdentifier().equals(r.setIdentifier()));
                if (!found) {
                    throw ProviderException.notFound(
                            "ListResourceRecordSets",
                            "record " + r.name() + " " + r.type()
                                    + r.setIdentifier()
                                            .map(x -> " with set identifier " + x)
                                            .orElse(""));
                }
            });
        });
        env.address()
                .ifPresent(a -> call(
                        out,
                        "environment.address",
                        "address '" + a + "'",
                        () -> cloud.addresses().describe(a)));
        for (StepSpec s : plan.steps()) {
            preflight(kinds.of(s), s, plan, cloud, "steps[" + s.id() + "]", out);
        }
        if (!out.isEmpty()) {
            throw new InvalidPlanException(out);
        }
    }

    private <S extends StepSpec> void preflight(
            StepKind<S> kind, S step, Plan plan, CloudProvider cloud, String at, List<Problem> out) {
        kind.preflight(step, new PreflightReads() {
            @Override
            public CloudProvider cloud() {
                return cloud;
            }

            @Override
            public Environment environment() {
                return plan.environment();
            }

            @Override
            public void read(String field, String what, Runnable read) {
                call(out, at + "." + field, what, read);
            }

            @Override
            public void readExpectingAbsent(String field, String what, Runnable read) {
                List<Problem> found = new ArrayList<>();
                call(found, at + "." + field, what, read);
                // Not finding it is what we want.
                found.stream()
                        .filter(p -> !p.message().contains("does not exist"))
                        .forEach(out::add);
            }

            @Override
            public void problem(String field, String message) {
                out.add(new Problem(at + "." + field, message));
            }

            @Override
            public void remember(java.util.Map<String, String> memo) {
                remembered
                        .computeIfAbsent(step.id(), k -> new java.util.HashMap<>())
                        .putAll(memo);
            }
        });
    }

    /**
     * Every alarm the checks name exists (one DescribeAlarms call): an alarm check on a misspelt name would fail
     * the verification or the bake only once the cutover has moved things. Names that hold references are
     * known only as the cutover runs.
     */
    private void checkAlarms(Plan plan, StepKinds kinds, CloudProvider cloud, List<Problem> out) {
        java.util.Map<String, String> fieldOf = new java.util.LinkedHashMap<>();
        for (StepSpec s : plan.steps()) {
            for (StepSpec.Check c : PlanValidator.checksOf(kinds, s)) {
                if (c instanceof StepSpec.Check.Alarm a && !a.name().contains("${")) {
                    fieldOf.putIfAbsent(a.name(), "steps[" + s.id() + "].checks");
                }
            }
        }
        if (fieldOf.isEmpty()) {
            return;
        }
        String first = fieldOf.values().iterator().next();
        call(out, first, "alarms " + fieldOf.keySet(), () -> {
            var states = cloud.alarms().states(fieldOf.keySet());
            fieldOf.forEach((name, field) -> {
                if (!states.containsKey(name)) {
                    out.add(new Problem(
                            field,
                            "alarm '" + name + "' does not exist in CloudWatch; check its name, the account and the"
                                    + " region"));
                }
            });
        });
    }

    /** The reads a check makes, by service, for the engine's rate budget. */
    static java.util.Map<String, Integer> calls(Plan plan, StepKinds kinds) {
        Environment env = plan.environment();
        java.util.Map<String, Integer> calls = new java.util.HashMap<>();
        calls.put(RateBudget.CLOUDFORMATION, 1);
        calls.put(RateBudget.RDS, env.databases().size());
        calls.put(RateBudget.EC2_DESCRIBE, env.volumes().size() + (env.address().isPresent() ? 1 : 0));
        calls.put(RateBudget.ROUTE53, env.dns().isPresent() ? 1 : 0);
        for (StepSpec s : plan.steps()) {
            kinds.of(s).preflightCalls(s).forEach((service, n) -> calls.merge(service, n, Integer::sum));
        }
        return calls;
    }

    /** Read calls only; a throttled or transient failure is repeated a few times before it counts. */
    private void call(List<Problem> out, String field, String what, Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (ProviderException e) {
                if (e.retryable() && rethrowRetryable) {
                    throw e;
                }
                if (!e.retryable() || attempt >= readAttempts) {
                    out.add(problem(field, what, e));
                    return;
                }
            }
        }
    }

    static Problem problem(String field, String what, ProviderException e) {
        Optional<FailureType> type = Optional.of(StepCalls.typeOf(e.kind()));
        return switch (e.kind()) {
            case NOT_FOUND ->
                new Problem(field, what + " does not exist; check the name, the account and the region", type);
            case ACCESS_DENIED ->
                new Problem(
                        field,
                        "cannot read " + what + ": access denied; grant "
                                + e.missingAction().orElse(e.operation()) + " to the caller",
                        type);
            case INVALID_REQUEST -> new Problem(field, what + " was rejected: " + e.getMessage(), type);
            default -> new Problem(field, "cannot check " + what + ": " + e.getMessage(), type);
        };
    }
}
