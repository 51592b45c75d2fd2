package io.cutover.internal;

import io.cutover.plan.StepSpec;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.util.List;
import java.util.Map;

/** A gate: waits until a person approves it. */
final class ApprovalAction implements Action {
    private final StepSpec.Approval spec;

    ApprovalAction(StepSpec.Approval spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "wait for approval: " + spec.prompt();
    }

    @Override
    public List<String> permissions() {
        return List.of();
    }

    @Override
    public StepOutcome start(StepContext ctx) {
        return poll(ctx);
    }

    @Override
    public StepOutcome poll(StepContext ctx) {
        return ctx.approved()
                ? StepOutcome.Done.of(Map.of("approved", "true"))
                : new StepOutcome.AwaitingApproval(spec.prompt());
    }

    @Override
    public Compensation compensation() {
        return Compensation.NONE;
    }
}
