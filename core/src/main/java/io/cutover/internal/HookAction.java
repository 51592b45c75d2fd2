package io.cutover.internal;

import io.cutover.plan.StepSpec;
import io.cutover.step.Hooks;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.List;

/** Runs the user's hook; its undo hook, if any, gives blue back what the hook took. */
final class HookAction implements Action {
    private final StepSpec.Hook spec;

    HookAction(StepSpec.Hook spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        String what = spec.description().isEmpty() ? "run hook '" + spec.hook() + "'" : spec.description();
        return what
                + switch (spec.downtime()) {
                    case STARTS -> " (downtime starts)";
                    case ENDS -> " (downtime ends)";
                    case NONE -> "";
                };
    }

    @Override
    public List<String> permissions() {
        return List.of();
    }

    @Override
    public StepOutcome start(StepContext ctx) {
        return run(ctx, spec.hook());
    }

    @Override
    public StepOutcome poll(StepContext ctx) {
        return run(ctx, spec.hook());
    }

    @Override
    public Compensation compensation() {
        return spec.undo().isPresent() ? Compensation.RESTORES_BLUE : Compensation.NONE;
    }

    @Override
    public String describeCompensation() {
        return spec.undo().map(u -> "run hook '" + u + "'").orElse("nothing to undo");
    }

    @Override
    public StepOutcome compensate(StepContext ctx) {
        return spec.undo().map(u -> run(ctx, u)).orElse(StepOutcome.Done.of());
    }

    private static StepOutcome run(StepContext ctx, String name) {
        Hooks.Hook hook = ctx.hooks().hook(name);
        return hook.run(new HookView(ctx));
    }
}
