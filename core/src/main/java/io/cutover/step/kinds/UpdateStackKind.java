package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.ChangeSetDescription;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
import io.cutover.step.Grant;
import io.cutover.step.Operations;
import io.cutover.step.PreflightReads;
import io.cutover.step.Services;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Updates a stack in place through a change set: create it, read what it would change (the preview,
 * published as progress and kept as outputs), check the storage guard, execute, and follow the stack to
 * UPDATE_COMPLETE. The compensation updates the stack back to the template and parameters it had.
 */
final class UpdateStackKind implements StepKind<StepSpec.UpdateStack> {
    @Override
    public String name() {
        return "update-stack";
    }

    @Override
    public Class<StepSpec.UpdateStack> type() {
        return StepSpec.UpdateStack.class;
    }

    @Override
    public void validate(StepSpec.UpdateStack u, Validation v) {
        v.present(u.stack(), "stack", "e.g. " + v.environment().stack() + " or ${green.stack}");
        u.template().ifPresent(t -> v.template(t, "template"));
        u.storageGuard().ifPresent(g -> {
            v.present(
                    g.parameter(),
                    "storageGuard.parameter",
                    "name the template parameter that sets the database's allocated storage");
            v.database(g.database(), "storageGuard.database");
        });
    }

    @Override
    public Map<String, String> textFields(StepSpec.UpdateStack u) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("stack", u.stack()));
        u.parameters().forEach((k, x) -> f.put("parameters." + k, x));
        return f;
    }

    /** The stack's name, the change set's preview and count, and every output of the stack. */
    @Override
    public Map<String, Optional<StepSpec.TemplateRef>> templates(StepSpec.UpdateStack u, Environment env) {
        return u.stack() == null ? Map.of() : Map.of(u.stack(), u.template());
    }

    @Override
    public Outputs outputs(StepSpec.UpdateStack u) {
        return Outputs.any();
    }

    /**
     * Beside the stack, the template and the guarded database: the storage guard with the size the update would
     * set (when the plan gives it or it is carried over), and NoEcho parameters that would be carried over as
     * their mask; both refuse the plan before maintenance mode or any other change.
     */
    @Override
    public void preflight(StepSpec.UpdateStack u, PreflightReads reads) {
        u.template().ifPresent(t -> reads.template("template", t));
        if (Validation.refers(u.stack())) {
            return;
        }
        reads.read("stack", "stack '" + u.stack() + "'", () -> {
            StackDescription current = reads.cloud().stacks().describe(u.stack());
            boolean urlKnown = u.template()
                    .flatMap(StepSpec.TemplateRef::url)
                    .map(x -> !Validation.refers(x))
                    .orElse(true);
            if (urlKnown) {
                StackProvider.Template template = u.template()
                        .map(t -> t.body().isPresent()
                                ? StackProvider.Template.ofBody(t.body().get())
                                : StackProvider.Template.ofUrl(t.url().orElseThrow()))
                        .orElseGet(() -> StackProvider.Template.ofBody(
                                reads.cloud().stacks().templateBody(u.stack())));
                StackProvider.TemplateSummary declared = reads.cloud().stacks().validate(template);
                StackCalls.maskedCarried(u.stack(), current.parameters(), declared, u.parameters(), "parameters")
                        .ifPresent(m -> reads.problem("parameters", m));
            }
            u.storageGuard().ifPresent(g -> {
                String value = u.parameters()
                        .getOrDefault(g.parameter(), current.parameters().get(g.parameter()));
                if (value == null || Validation.refers(value)) {
                    return; // known only when the step runs; it checks again then
                }
                reads.read(
                        "storageGuard.database",
                        "database '" + g.database().id() + "'",
                        () -> Behaviour.guard(
                                        g,
                                        value,
                                        reads.cloud()
                                                .databases()
                                                .describe(
                                                        g.database().kind(),
                                                        g.database().id()))
                                .ifPresent(m -> reads.problem("storageGuard", m)));
            });
        });
    }

    /** The change set previewed before the cutover ({@link ChangeSetPreview}). */
    @Override
    public void check(StepSpec.UpdateStack u, io.cutover.step.AccountReads reads) {
        ChangeSetPreview.check(u, reads);
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.UpdateStack u) {
        int cfn = (u.template().isPresent() ? 1 : 0) + (Validation.refers(u.stack()) ? 0 : 3);
        return u.storageGuard().isPresent()
                ? Map.of(Services.CLOUDFORMATION, cfn, Services.RDS, 1)
                : Map.of(Services.CLOUDFORMATION, cfn);
    }

    /** A re-sync replaces the database from the new snapshot. */
    @Override
    public Duration minimumDuration(StepSpec.UpdateStack u, Function<String, Duration> expected) {
        return expected.apply(Operations.CHANGE_SET)
                .plus(expected.apply(Operations.STACK_UPDATE))
                .plus(expected.apply(Operations.DATABASE_RESTORE));
    }

    @Override
    public List<Grant> grants(StepSpec.UpdateStack s, Plan plan, Arns arns) {
        String stack = arns.stack(Names.literal(s.stack()));
        return List.of(
                Grant.read(List.of("cloudformation:ValidateTemplate"), List.of("*")),
                Grant.read(List.of("rds:DescribeDBInstances"), List.of("*")),
                Grant.read(
                        List.of(
                                "cloudformation:DescribeStacks",
                                "cloudformation:DescribeStackEvents",
                                "cloudformation:DescribeChangeSet",
                                "cloudformation:GetTemplate"),
                        List.of(stack)),
                // ExecuteChangeSet takes no role (the change set holds it) and offers no cloudformation:RoleArn key.
                StackGrants.withRole(plan, List.of("cloudformation:CreateChangeSet"), List.of(stack)),
                Grant.write(List.of("cloudformation:ExecuteChangeSet"), List.of(stack)));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.UpdateStack step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        /** The memo keys of blue's stack as it was: a parameter's value, and a parameter the revert passes as it is then. */
        static final String PREV = "prev.param.";

        static final String KEEP = "prev.keep.";
        private final StepSpec.UpdateStack spec;

        Behaviour(StepSpec.UpdateStack spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "update stack " + spec.stack() + " in place through a change set"
                    + spec.template().map(t -> " to " + t.describe()).orElse(" (same template)")
                    + (spec.parameters().isEmpty() ? "" : " with " + spec.parameters())
                    + spec.storageGuard()
                            .map(g -> "; refuse if " + g.parameter() + " is below the storage "
                                    + g.database().id() + " has grown to")
                            .orElse("")
                    + (spec.allowReplacement().isEmpty()
                            ? ""
                            : "; may replace " + String.join(", ", spec.allowReplacement()));
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "cloudformation:CreateChangeSet",
                    "cloudformation:DescribeChangeSet",
                    "cloudformation:ExecuteChangeSet",
                    "cloudformation:DescribeStacks",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:GetTemplate",
                    "cloudformation:ValidateTemplate",
                    "rds:DescribeDBInstances");
        }

        private static String changeSetName(StepContext ctx, String purpose) {
            // At most 94 characters (plan and step ids have at most 40 each): within the 128 a change set may have.
            return "cutover-" + ctx.plan().id() + "-" + ctx.stepId() + purpose;
        }

        @Override
        public StepOutcome start(StepContext ctx) {
            StackProvider stacks = ctx.cloud().stacks();
            String name = ctx.resolve(spec.stack());
            StackDescription current = stacks.describe(name);
            if (current.state() == StackProvider.StackState.IN_PROGRESS) {
                return StepOutcome.Pending.of(
                        Operations.STACK_UPDATE,
                        "waiting for stack " + name + " (" + current.rawStatus() + ") before updating it");
            }
            Map<String, String> memo = new HashMap<>();
            memo.put("stackName", name);
            memo.put("prevTemplate", stacks.templateBody(name));
            // A parameter this plan sets from a secret is not remembered (the state must never hold a secret); a
            // revert passes the value it has then.
            java.util.Set<String> secret = secretParameters(ctx);
            current.parameters().forEach((k, v) -> {
                if (secret.contains(k)) {
                    memo.put(KEEP + k, "");
                } else {
                    memo.put(PREV + k, v);
                }
            });
            StackProvider.Template template = spec.template()
                    .map(t -> StackCalls.template(ctx, t))
                    .orElse(StackProvider.Template.ofBody(memo.get("prevTemplate")));
            StackProvider.TemplateSummary summary = stacks.validate(template);
            Optional<String> masked = StackCalls.maskedCarried(
                    name, current.parameters(), summary, spec.parameters(), "the step's parameters");
            if (masked.isPresent()) {
                return Calls.failed(masked.get());
            }
            Map<String, Optional<String>> declared = summary.parameters();
            Map<String, String> params = StackCalls.parameters(ctx, current.parameters(), declared, spec.parameters());
            Optional<String> refused = storageGuard(ctx, params);
            if (refused.isPresent()) {
                return Calls.failed(refused.get());
            }
            var request = new StackProvider.StackRequest(
                    name,
                    template,
                    params,
                    current.tags(),
                    List.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"),
                    ctx.token("update"),
                    ctx.plan().environment().roleArn());
            Calls.createOrAdopt(() -> stacks.createChangeSet(request, changeSetName(ctx, "")));
            memo.put("phase", "preview");
            return StepOutcome.Pending.of(Operations.CHANGE_SET, "change set for " + name + " created", memo);
        }

        private static java.util.Set<String> secretParameters(StepContext ctx) {
            java.util.Set<String> out = new java.util.HashSet<>();
            for (StepSpec s : ctx.plan().steps()) {
                Map<String, String> params = s instanceof StepSpec.UpdateStack u
                        ? u.parameters()
                        : s instanceof StepSpec.CloneStack c ? c.parameters() : Map.of();
                params.forEach((k, v) -> {
                    if (io.cutover.plan.Expressions.holdsSecret(v)) {
                        out.add(k);
                    }
                });
            }
            return out;
        }

        private Optional<String> storageGuard(StepContext ctx, Map<String, String> params) {
            if (spec.storageGuard().isEmpty()) {
                return Optional.empty();
            }
            StepSpec.StorageGuard g = spec.storageGuard().get();
            String value = params.get(g.parameter());
            if (value == null) {
                return Optional.of("storage guard: the template declares no parameter '" + g.parameter()
                        + "'; name the parameter that sets " + g.database().id() + "'s storage");
            }
            return guard(
                    g,
                    value,
                    ctx.cloud()
                            .databases()
                            .describe(g.database().kind(), g.database().id()));
        }

        /** Why the update must not set {@code value} as the guarded database's storage; empty when it may. */
        static Optional<String> guard(StepSpec.StorageGuard g, String value, DatabaseDescription db) {
            int asked;
            try {
                asked = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                return Optional.of("storage guard: parameter " + g.parameter() + " is not a size in GB");
            }
            if (asked < db.allocatedStorageGb()) {
                return Optional.of("storage guard: the update would set " + g.parameter() + " to " + asked + " GB, but "
                        + g.database().id() + " has grown to " + db.allocatedStorageGb()
                        + " GB by storage auto-scaling; "
                        + "set parameter " + g.parameter() + " to " + db.allocatedStorageGb()
                        + " (or more) and run again");
            }
            return Optional.empty();
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            return advance(ctx, "", Operations.STACK_UPDATE);
        }

        /** Moves a change set through preview, execution and completion; shared by the update and its undo. */
        private StepOutcome advance(StepContext ctx, String prefix, String operation) {
            StackProvider stacks = ctx.cloud().stacks();
            String name = ctx.memo("stackName").orElseGet(() -> ctx.resolve(spec.stack()));
            String phase = ctx.memo(prefix + "phase").orElse("preview");
            String csName = changeSetName(ctx, prefix.isEmpty() ? "" : "-undo");
            if (phase.equals("preview")) {
                ChangeSetDescription cs = stacks.describeChangeSet(name, csName);
                if (cs.status() == StackProvider.ChangeSetStatus.NO_CHANGES) {
                    return StepOutcome.Done.of(Map.of("changes", "0", "preview", "no changes"));
                }
                if (cs.status() == StackProvider.ChangeSetStatus.FAILED) {
                    return Calls.failed("change set for " + name + " failed: " + cs.reason());
                }
                if (cs.status() == StackProvider.ChangeSetStatus.PENDING) {
                    return StepOutcome.Pending.of(Operations.CHANGE_SET, "change set for " + name + " being computed");
                }
                String preview = preview(cs);
                if (prefix.isEmpty() && !updatesGreen()) {
                    Optional<String> replaces = StackCalls.refusedReplacements(
                            name, cs.changes(), spec.allowReplacement(), "allowReplacement");
                    if (replaces.isPresent()) {
                        // The change set is left unexecuted: the stack is as it was.
                        return Calls.failed(replaces.get());
                    }
                }
                // Saved before the execution, so that after a crash the step knows the update may have begun.
                return new StepOutcome.Pending(
                        Operations.CHANGE_SET,
                        Optional.of(java.time.Duration.ZERO),
                        "about to execute: " + preview,
                        Map.of(
                                prefix + "phase",
                                "executing",
                                prefix + "preview",
                                preview,
                                prefix + "changes",
                                String.valueOf(cs.changes().size())));
            }
            if (phase.equals("executing")) {
                // Repeating the execution with its token after a crash is harmless.
                stacks.executeChangeSet(name, csName, ctx.token(prefix + "execute"));
                return StepOutcome.Pending.of(
                        operation,
                        "executing: " + ctx.memo(prefix + "preview").orElse(""),
                        Map.of(prefix + "phase", "execute"));
            }
            StackDescription d = stacks.describe(name);
            switch (d.state()) {
                case COMPLETE -> {
                    Map<String, String> out = new HashMap<>(d.outputs());
                    out.put("stackName", name);
                    out.put("changes", ctx.memo(prefix + "changes").orElse("0"));
                    out.put("preview", ctx.memo(prefix + "preview").orElse(""));
                    return StepOutcome.Done.of(out);
                }
                case IN_PROGRESS -> {
                    return StepOutcome.Pending.of(operation, "stack " + name + " " + d.rawStatus());
                }
                default -> {
                    return Calls.failed(StackCalls.failure(stacks, d));
                }
            }
        }

        private static String preview(ChangeSetDescription cs) {
            if (cs.changes().isEmpty()) {
                return "no resource changes";
            }
            StringBuilder sb = new StringBuilder(cs.changes().size() + " change(s):");
            for (StackProvider.ResourceChange c : cs.changes()) {
                sb.append(' ')
                        .append(c.action())
                        .append(' ')
                        .append(c.logicalResourceId())
                        .append(" (")
                        .append(c.resourceType())
                        .append(
                                c.replacement() == null
                                                || c.replacement().isEmpty()
                                                || c.replacement().equals("False")
                                        ? ""
                                        : ", replacement " + c.replacement())
                        .append(");");
            }
            return sb.toString();
        }

        /**
         * Updating blue's stack in place is undone by updating it back. Updating green's (the re-sync of a
         * parallel upgrade) needs no undo of its own: before the switch green is deleted whole, after it green
         * is kept as it is for inspection.
         */
        @Override
        public Compensation compensation() {
            return updatesGreen() ? Compensation.NONE : Compensation.RESTORES_BLUE;
        }

        private boolean updatesGreen() {
            return spec.stack().contains("${green.") || spec.stack().matches(".*\\$\\{[a-z0-9-]+\\.stackName}.*");
        }

        @Override
        public String describeCompensation() {
            return "update stack " + spec.stack() + " back to the template and parameters it had";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<String> prevTemplate = ctx.memo("prevTemplate");
            Optional<String> name = ctx.memo("stackName");
            if (prevTemplate.isEmpty() || name.isEmpty()) {
                return StepOutcome.Done.of();
            }
            StackProvider stacks = ctx.cloud().stacks();
            if (ctx.memo("undo.phase").isEmpty()) {
                StackDescription d = stacks.describe(name.get());
                if (d.state() == StackProvider.StackState.IN_PROGRESS) {
                    return StepOutcome.Pending.of(
                            Operations.STACK_UPDATE, "waiting for stack " + name.get() + " to settle");
                }
                String phase = ctx.memo("phase").orElse("");
                if (!(phase.equals("execute") || phase.equals("executing"))
                        || (d.state() == StackProvider.StackState.ROLLED_BACK
                                && d.operation() == StackProvider.StackOperation.UPDATE)) {
                    // The update never ran, or the provider already rolled it back.
                    return StepOutcome.Done.of();
                }
                Map<String, String> params = new HashMap<>();
                ctx.memo().forEach((k, v) -> {
                    if (k.startsWith(PREV)) {
                        params.put(k.substring(PREV.length()), v);
                    } else if (k.startsWith(KEEP)) {
                        String param = k.substring(KEEP.length());
                        params.put(param, d.parameters().getOrDefault(param, ""));
                    }
                });
                var request = new StackProvider.StackRequest(
                        name.get(),
                        StackProvider.Template.ofBody(prevTemplate.get()),
                        params,
                        d.tags(),
                        List.of("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"),
                        ctx.token("revert"),
                        ctx.plan().environment().roleArn());
                try {
                    Calls.createOrAdopt(() -> stacks.createChangeSet(request, changeSetName(ctx, "-undo")));
                } catch (ProviderException e) {
                    if (e.kind() != FailureKind.INVALID_REQUEST) {
                        throw e;
                    }
                    return Calls.failed("cannot revert stack " + name.get() + ": " + e.getMessage());
                }
                return StepOutcome.Pending.of(
                        Operations.CHANGE_SET, "reverting " + name.get(), Map.of("undo.phase", "preview"));
            }
            return advance(ctx, "undo.", Operations.STACK_UPDATE);
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            if (phase == Phase.START) {
                return spec.storageGuard().isPresent()
                        ? Map.of(Services.CLOUDFORMATION, 4, Services.RDS, 1)
                        : Map.of(Services.CLOUDFORMATION, 4);
            }
            return Map.of(Services.CLOUDFORMATION, 1);
        }
    }
}
