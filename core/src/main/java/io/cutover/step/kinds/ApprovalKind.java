package io.cutover.step.kinds;

import io.cutover.internal.*;
import io.cutover.plan.Expressions;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.step.Compensation;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.util.List;
import java.util.Map;

/** A gate: waits until a person approves it. */
final class ApprovalKind implements StepKind<StepSpec.Approval> {
    @Override
    public String name() {
        return "approval";
    }

    @Override
    public Class<StepSpec.Approval> type() {
        return StepSpec.Approval.class;
    }

    @Override
    public void validate(StepSpec.Approval a, Validation v) {
        try {
            if (Expressions.holdsSecret(a.prompt())) {
                v.problem(
                        "prompt",
                        "holds a secret (${env:...} or ${secret:...}), and a prompt is shown to"
                                + " people and kept in the events; name what to check instead");
            }
        } catch (IllegalArgumentException e) {
            // a malformed reference is reported with the step's other references
        }
    }

    @Override
    public Map<String, String> textFields(StepSpec.Approval a) {
        return Kinds.fields("prompt", a.prompt());
    }

    @Override
    public Outputs outputs(StepSpec.Approval a) {
        return Outputs.of("approved");
    }

    @Override
    public Flags flags(StepSpec.Approval a) {
        // A gate where a person acts by hand on the application (maintenance mode through an admin panel, say) may
        // open or close the downtime window, as a hook that does it by script would.
        return new Flags(true, false, false, false, false, a.downtime());
    }

    @Override
    public StepBehaviour behaviour(StepSpec.Approval step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.Approval spec;

        Behaviour(StepSpec.Approval spec) {
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
                    : new StepOutcome.AwaitingApproval(ctx.resolve(spec.prompt()));
        }

        @Override
        public Compensation compensation() {
            return Compensation.NONE;
        }
    }
}
