package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.engine.RateBudget;
import io.cutover.plan.StepSpec;
import io.cutover.spi.StackProvider;
import io.cutover.spi.StackProvider.StackDescription;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Creates green's stack beside blue's, with blue's parameters carried over and the overrides applied. */
final class CloneStackAction implements Action {
    private final StepSpec.CloneStack spec;

    CloneStackAction(StepSpec.CloneStack spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "create stack " + spec.stackName() + " from " + spec.template().describe()
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

    @Override
    public StepOutcome start(StepContext ctx) {
        StackProvider stacks = ctx.cloud().stacks();
        String name = ctx.resolve(spec.stackName());
        StackProvider.Template template = StackCalls.template(ctx, spec.template());
        Map<String, Optional<String>> declared = stacks.validate(template).parameters();
        Map<String, String> carried = spec.carryOverParameters()
                ? stacks.describe(ctx.plan().environment().stack()).parameters()
                : Map.of();
        Map<String, String> params = StackCalls.parameters(ctx, carried, declared, spec.parameters());
        Map<String, String> tags = new HashMap<>(ctx.tags());
        spec.tags().forEach((k, v) -> tags.put(k, ctx.resolve(v)));
        var request =
                new StackProvider.StackRequest(name, template, params, tags, spec.capabilities(), ctx.token("create"));
        if (!Calls.createOrAdopt(() -> stacks.create(request))) {
            StackDescription existing = stacks.describe(name);
            if (!ctx.plan().id().equals(existing.tags().get("cutover:plan"))) {
                return Calls.failed("a stack named '" + name + "' exists and was not made by this cutover; "
                        + "choose another stackName");
            }
        }
        return StepOutcome.Pending.of(Operations.STACK_CREATE, "creating stack " + name, Map.of("stackName", name));
    }

    @Override
    public StepOutcome poll(StepContext ctx) {
        StackProvider stacks = ctx.cloud().stacks();
        String name = ctx.resolve(spec.stackName());
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

    @Override
    public StepOutcome compensate(StepContext ctx) {
        StackProvider stacks = ctx.cloud().stacks();
        String name = ctx.resolve(spec.stackName());
        Optional<StackDescription> d = Calls.find(() -> stacks.describe(name));
        if (d.isEmpty() || d.get().state() == StackProvider.StackState.DELETED) {
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
            stacks.delete(name, List.of(), ctx.token("delete"));
        }
        return StepOutcome.Pending.of(Operations.STACK_DELETE, "deleting stack " + name);
    }

    @Override
    public Map<String, Integer> calls(String phase, Map<String, String> memo) {
        int n = switch (phase) {
            case "start" -> spec.carryOverParameters() ? 3 : 2;
            case "compensate" -> 2;
            default -> 1;
        };
        return Map.of(RateBudget.CLOUDFORMATION, n);
    }
}
