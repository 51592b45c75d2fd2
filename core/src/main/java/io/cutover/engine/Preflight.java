package io.cutover.engine;

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
import java.util.ArrayList;
import java.util.List;

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
    static void check(
            Plan plan,
            CloudProvider cloud,
            Hooks hooks,
            java.util.function.Function<String, String> environmentVariables,
            boolean rethrowRetryable,
            RetryPolicy retries) {
        PlanValidator.validate(plan);
        new Preflight(rethrowRetryable, retries.readAttempts()).checkCloud(plan, cloud, hooks, environmentVariables);
    }

    private void checkCloud(
            Plan plan,
            CloudProvider cloud,
            Hooks hooks,
            java.util.function.Function<String, String> environmentVariables) {
        List<Problem> out = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            io.cutover.plan.PlanValidator.textFieldsOf(s).forEach((field, text) -> {
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
            if (s instanceof StepSpec.Hook h) {
                if (!hooks.hookNames().contains(h.hook())) {
                    out.add(new Problem(
                            at + ".hook",
                            "no hook named '" + h.hook() + "' is registered with the engine; " + "registered: "
                                    + hooks.hookNames()));
                }
                h.undo()
                        .filter(u -> !hooks.hookNames().contains(u))
                        .ifPresent(u -> out.add(new Problem(
                                at + ".undo",
                                "no hook named '" + u + "' is registered with the engine; registered: "
                                        + hooks.hookNames())));
            }
            for (StepSpec.Check c : PlanValidator.checksOf(s)) {
                if (c instanceof StepSpec.Check.Custom cc && !hooks.checkNames().contains(cc.name())) {
                    out.add(new Problem(
                            at + ".checks",
                            "no check named '" + cc.name() + "' is registered with the engine; " + "registered: "
                                    + hooks.checkNames()));
                }
            }
        }
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
        env.dns().ifPresent(r -> {
            call(
                    out,
                    "environment.dns.zoneId",
                    "hosted zone '" + r.zoneId() + "'",
                    () -> cloud.dns().describeZone(r.zoneId()));
            call(out, "environment.dns.name", "record " + r.name() + " " + r.type(), () -> {
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
            String at = "steps[" + s.id() + "]";
            if (s instanceof StepSpec.CloneStack c) {
                validateTemplate(out, at + ".template", cloud, c.template());
                if (!c.stackName().contains("${")) {
                    List<Problem> found = new ArrayList<>();
                    call(found, at + ".stackName", "stack '" + c.stackName() + "'", () -> {
                        var d = cloud.stacks().describe(c.stackName());
                        if (d.state() != StackProvider.StackState.DELETED) {
                            out.add(new Problem(
                                    at + ".stackName",
                                    "a stack named '" + c.stackName() + "' exists already (" + d.rawStatus()
                                            + "); green needs a free name"));
                        }
                    });
                    // Not finding green's name is what we want.
                    found.stream()
                            .filter(p -> !p.message().contains("does not exist"))
                            .forEach(out::add);
                }
            } else if (s instanceof StepSpec.UpdateStack u) {
                u.template().ifPresent(t -> validateTemplate(out, at + ".template", cloud, t));
                if (!u.stack().contains("${")) {
                    call(
                            out,
                            at + ".stack",
                            "stack '" + u.stack() + "'",
                            () -> cloud.stacks().describe(u.stack()));
                }
                u.storageGuard()
                        .ifPresent(g -> call(
                                out,
                                at + ".storageGuard.database",
                                "database '" + g.database().id() + "'",
                                () -> cloud.databases()
                                        .describe(
                                                g.database().kind(),
                                                g.database().id())));
            } else if (s instanceof StepSpec.SnapshotVolume v && !v.volume().contains("${")) {
                call(
                        out,
                        at + ".volume",
                        "volume '" + v.volume() + "'",
                        () -> cloud.volumes().describe(v.volume()));
            } else if (s instanceof StepSpec.MoveAddress m && m.allocationId().isPresent()) {
                call(
                        out,
                        at + ".allocationId",
                        "address '" + m.allocationId().get() + "'",
                        () -> cloud.addresses().describe(m.allocationId().get()));
            }
        }
        if (!out.isEmpty()) {
            throw new InvalidPlanException(out);
        }
    }

    /** The reads a check makes, by service, for the engine's rate budget. */
    static java.util.Map<String, Integer> calls(Plan plan) {
        Environment env = plan.environment();
        int cfn = 1;
        int rds = env.databases().size();
        int ec2 = env.volumes().size() + (env.address().isPresent() ? 1 : 0);
        for (StepSpec s : plan.steps()) {
            if (s instanceof StepSpec.CloneStack c) {
                cfn += 2;
            } else if (s instanceof StepSpec.UpdateStack u) {
                cfn += (u.template().isPresent() ? 1 : 0) + (u.stack().contains("${") ? 0 : 1);
                rds += u.storageGuard().isPresent() ? 1 : 0;
            } else if (s instanceof StepSpec.SnapshotVolume || s instanceof StepSpec.MoveAddress) {
                ec2 += 1;
            }
        }
        return java.util.Map.of(
                RateBudget.CLOUDFORMATION,
                cfn,
                RateBudget.RDS,
                rds,
                RateBudget.EC2_DESCRIBE,
                ec2,
                RateBudget.ROUTE53,
                env.dns().isPresent() ? 2 : 0);
    }

    private void validateTemplate(List<Problem> out, String at, CloudProvider cloud, StepSpec.TemplateRef t) {
        if (t.url().map(u -> u.contains("${")).orElse(false)) {
            return;
        }
        StackProvider.Template template = t.body().isPresent()
                ? StackProvider.Template.ofBody(t.body().get())
                : StackProvider.Template.ofUrl(t.url().orElseThrow());
        call(out, at, "the template", () -> cloud.stacks().validate(template));
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

    private static Problem problem(String field, String what, ProviderException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> new Problem(field, what + " does not exist; check the name, the account and the region");
            case ACCESS_DENIED ->
                new Problem(
                        field,
                        "cannot read " + what + ": access denied; grant "
                                + e.missingAction().orElse(e.operation()) + " to the caller");
            case INVALID_REQUEST -> new Problem(field, what + " was rejected: " + e.getMessage());
            default -> new Problem(field, "cannot check " + what + ": " + e.getMessage());
        };
    }
}
