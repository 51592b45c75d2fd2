package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Environment;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.StepRules.Namespace;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.step.Arns;
import io.cutover.step.Claim;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
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

/** Creates green's stack beside blue's, with blue's parameters carried over and the overrides applied. */
final class CloneStackKind implements StepKind<StepSpec.CloneStack> {
    @Override
    public String name() {
        return "clone-stack";
    }

    @Override
    public Class<StepSpec.CloneStack> type() {
        return StepSpec.CloneStack.class;
    }

    @Override
    public void validate(StepSpec.CloneStack c, Validation v) {
        Environment env = v.environment();
        if (!Validation.refers(c.stackName())) {
            Identifiers.checkStackName(c.stackName()).ifPresent(m -> v.problem("stackName", m));
        }
        // Blue's stack (also through ${blue.stack}) and the other steps' names: PlanValidator, from createdNames.
        v.template(c.template(), "template");
    }

    @Override
    public List<CreatedName> createdNames(StepSpec.CloneStack c, io.cutover.plan.Plan plan) {
        return c.stackName() == null
                ? List.of()
                : List.of(new CreatedName("stackName", Namespace.STACK, c.stackName(), "green's stack"));
    }

    @Override
    public Map<String, String> textFields(StepSpec.CloneStack c) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("stackName", c.stackName()));
        c.parameters().forEach((k, x) -> f.put("parameters." + k, x));
        c.tags().forEach((k, x) -> f.put("tags." + k, x));
        return f;
    }

    @Override
    public Map<String, Optional<StepSpec.TemplateRef>> templates(StepSpec.CloneStack c, Environment env) {
        return Map.of(env.stack(), Optional.ofNullable(c.template()));
    }

    /** The stack's name and every output of green's stack. */
    @Override
    public Outputs outputs(StepSpec.CloneStack c) {
        return Outputs.any();
    }

    @Override
    public Flags flags(StepSpec.CloneStack c) {
        return new Flags(false, false, false, false, true, StepSpec.Downtime.NONE);
    }

    @Override
    public void preflight(StepSpec.CloneStack c, PreflightReads reads) {
        reads.template("template", c.template());
        boolean urlKnown = c.template().url().map(u -> !Validation.refers(u)).orElse(true);
        if (c.carryOverParameters() && urlKnown) {
            String blue = reads.environment().stack();
            reads.read("parameters", "the NoEcho parameters of blue's stack '" + blue + "'", () -> {
                StackProvider.TemplateSummary declared = reads.cloud()
                        .stacks()
                        .validate(
                                c.template().body().isPresent()
                                        ? StackProvider.Template.ofBody(
                                                c.template().body().get())
                                        : StackProvider.Template.ofUrl(
                                                c.template().url().orElseThrow()));
                StackCalls.maskedCarried(
                                blue,
                                reads.cloud().stacks().describe(blue).parameters(),
                                declared,
                                c.parameters(),
                                "parameters")
                        .ifPresent(m -> reads.problem("parameters", m));
            });
        }
        if (!Validation.refers(c.stackName())) {
            reads.readExpectingAbsent("stackName", "stack '" + c.stackName() + "'", () -> {
                var d = reads.cloud().stacks().describe(c.stackName());
                if (d.state() != StackProvider.StackState.DELETED) {
                    reads.problem(
                            "stackName",
                            "a stack named '" + c.stackName() + "' exists already (" + d.rawStatus()
                                    + "); green needs a free name");
                }
            });
        }
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.CloneStack c) {
        return Map.of(Services.CLOUDFORMATION, c.carryOverParameters() ? 4 : 2);
    }

    @Override
    public List<CreatedResource> created(StepSpec.CloneStack c, Map<String, String> outputs, Map<String, String> memo) {
        return Kinds.created(CreatedResource.Type.STACK, outputs, memo, "stackName");
    }

    /** The stack is complete when its slowest resource is: the database restored from the snapshot. */
    @Override
    public Duration minimumDuration(StepSpec.CloneStack c, Function<String, Duration> expected) {
        return Kinds.max(
                expected.apply(Operations.STACK_CREATE),
                Kinds.max(expected.apply(Operations.DATABASE_RESTORE), expected.apply(Operations.VOLUME_CREATE)));
    }

    @Override
    public List<Grant> grants(StepSpec.CloneStack s, Plan plan, Arns arns) {
        String stack = arns.stack(Names.literal(s.stackName()));
        List<Grant> out = new java.util.ArrayList<>(List.of(
                Grant.read(List.of("cloudformation:ValidateTemplate"), List.of("*")),
                Grant.read(
                        List.of("cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"),
                        List.of(stack, arns.stack(plan.environment().stack()))),
                StackGrants.withRole(
                        plan, List.of("cloudformation:CreateStack", "cloudformation:DeleteStack"), List.of(stack))));
        return out;
    }

    @Override
    public StepBehaviour behaviour(StepSpec.CloneStack step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.CloneStack spec;

        Behaviour(StepSpec.CloneStack spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            return "create stack " + spec.stackName() + " from "
                    + spec.template().describe()
                    + (spec.carryOverParameters() ? " with blue's parameters" : "")
                    + (spec.parameters().isEmpty() ? "" : " and " + spec.parameters());
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "cloudformation:CreateStack",
                    "cloudformation:DescribeStacks",
                    "cloudformation:DescribeStackEvents",
                    "cloudformation:ValidateTemplate",
                    "cloudformation:DeleteStack");
        }

        /**
         * Resolves green's name, refuses one that is blue's or another step's, and claims it: the claim is saved
         * before the next call creates the stack, so a compensation deletes only what this step made.
         */
        @Override
        public StepOutcome start(StepContext ctx) {
            String name = ctx.resolve(spec.stackName());
            Optional<String> refused = Kinds.refusedName(ctx, Namespace.STACK, name, "stackName");
            if (refused.isPresent()) {
                return StepOutcome.Failed.of(io.cutover.FailureType.REFUSED, refused.get());
            }
            return new StepOutcome.Pending(
                    Operations.STACK_CREATE,
                    Optional.of(Duration.ZERO),
                    "stack name " + name + " claimed",
                    Claim.of(ctx, name, "create").memo());
        }

        private StepOutcome create(StepContext ctx, Claim claim) {
            StackProvider stacks = ctx.cloud().stacks();
            String name = claim.id();
            StackProvider.Template template = StackCalls.template(ctx, spec.template());
            StackProvider.TemplateSummary summary = stacks.validate(template);
            Map<String, Optional<String>> declared = summary.parameters();
            Map<String, String> carried = spec.carryOverParameters()
                    ? stacks.describe(ctx.plan().environment().stack()).parameters()
                    : Map.of();
            Optional<String> masked = StackCalls.maskedCarried(
                    ctx.plan().environment().stack(), carried, summary, spec.parameters(), "the step's parameters");
            if (masked.isPresent()) {
                return Calls.failed(masked.get());
            }
            Map<String, String> params = StackCalls.parameters(ctx, carried, declared, spec.parameters());
            Map<String, String> tags = new HashMap<>(claim.tags());
            spec.tags().forEach((k, v) -> tags.put(k, ctx.resolve(v)));
            var request = new StackProvider.StackRequest(
                    name,
                    template,
                    params,
                    tags,
                    spec.capabilities(),
                    claim.token(),
                    ctx.plan().environment().roleArn());
            if (!Calls.createOrAdopt(() -> stacks.create(request))) {
                StackDescription existing = stacks.describe(name);
                if (!claim.owns(existing.tags())) {
                    return Calls.failed("a stack named '" + name + "' exists and was not made by this cutover; "
                            + "choose another stackName");
                }
            }
            return StepOutcome.Pending.of(Operations.STACK_CREATE, "creating stack " + name, Map.of("stackName", name));
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo());
            if (claim.isPresent() && ctx.memo("stackName").isEmpty()) {
                return create(ctx, claim.get());
            }
            StackProvider stacks = ctx.cloud().stacks();
            String name = ctx.memo("stackName").orElseGet(() -> ctx.resolve(spec.stackName()));
            StackDescription d = stacks.describe(name);
            switch (d.state()) {
                case COMPLETE -> {
                    Map<String, String> out = new HashMap<>(d.outputs());
                    out.put("stackName", name);
                    return StepOutcome.Done.of(out);
                }
                case IN_PROGRESS -> {
                    return StepOutcome.Pending.of(Operations.STACK_CREATE, "stack " + name + " " + d.rawStatus());
                }
                default -> {
                    return Calls.failed(StackCalls.failure(stacks, d));
                }
            }
        }

        @Override
        public Compensation compensation() {
            return Compensation.REMOVES_GREEN;
        }

        @Override
        public String describeCompensation() {
            return "delete stack " + spec.stackName();
        }

        /** Deletes the stack only when this step claimed it and it carries the claim's tags. */
        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Claim> claim = Claim.from(ctx.memo(), "stackName", ctx);
            if (claim.isEmpty()) {
                return StepOutcome.Done.of();
            }
            StackProvider stacks = ctx.cloud().stacks();
            String name = claim.get().id();
            Optional<StackDescription> d = Calls.find(() -> stacks.describe(name));
            if (d.isEmpty()
                    || d.get().state() == StackProvider.StackState.DELETED
                    || !claim.get().owns(d.get().tags())) {
                // Gone, or not this step's: a stack that existed under that name is never touched.
                return StepOutcome.Done.of();
            }
            if (d.get().state() == StackProvider.StackState.DELETE_FAILED) {
                return Calls.failed(StackCalls.failure(stacks, d.get()));
            }
            StackProvider.StackOperation op = d.get().operation();
            if (d.get().state() == StackProvider.StackState.IN_PROGRESS
                    && op != StackProvider.StackOperation.DELETE
                    && op != StackProvider.StackOperation.CREATE) {
                return StepOutcome.Pending.of(Operations.STACK_UPDATE, "waiting for stack " + name + " to settle");
            }
            if (op != StackProvider.StackOperation.DELETE) {
                stacks.delete(
                        name,
                        List.of(),
                        ctx.token("delete"),
                        ctx.plan().environment().roleArn());
            }
            return StepOutcome.Pending.of(Operations.STACK_DELETE, "deleting stack " + name);
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            boolean creates = phase == Phase.POLL && memo.containsKey("claim.id") && !memo.containsKey("stackName");
            int n = switch (phase) {
                case START -> 0;
                case COMPENSATE -> 2;
                case POLL -> creates ? (spec.carryOverParameters() ? 3 : 2) : 1;
            };
            return n == 0 ? Map.of() : Map.of(Services.CLOUDFORMATION, n);
        }
    }
}
