package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.plan.StepSpec;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs health checks until all pass, or fails when the timeout passes first. */
final class VerifyAction implements Action {
    private final StepSpec.Verify spec;

    VerifyAction(StepSpec.Verify spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "verify: " + Checks.describe(spec.checks()) + " (within "
                + spec.timeout().toMinutes() + " min)";
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
        List<String> failures = Checks.run(ctx, spec.checks());
        if (failures.isEmpty()) {
            return StepOutcome.Done.of(
                    Map.of("checks", String.valueOf(spec.checks().size())));
        }
        Duration elapsed = Duration.between(ctx.startedAt(), ctx.now());
        if (elapsed.compareTo(spec.timeout()) >= 0) {
            return Calls.failed(
                    "verification failed after " + elapsed.toSeconds() + "s: " + String.join("; ", failures));
        }
        return StepOutcome.Pending.after(spec.interval(), Operations.CHECK, String.join("; ", failures));
    }

    @Override
    public Compensation compensation() {
        return Compensation.NONE;
    }
}
