package io.cutover.internal;

import io.cutover.engine.Operations;
import io.cutover.event.Durations;
import io.cutover.plan.StepSpec;
import io.cutover.step.StepContext;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps blue beside green while checks run; the gate of decommission. Opens when the bake time has passed
 * with checks green, or at once on approval; a failing check fails it, which moves users back to blue.
 */
final class BakeAction implements Action {
    private final StepSpec.Bake spec;

    BakeAction(StepSpec.Bake spec) {
        this.spec = spec;
    }

    @Override
    public String describe() {
        return "bake for " + Durations.format(spec.duration()) + " with blue kept"
                + (spec.checks().isEmpty() ? "" : ", checking " + Checks.describe(spec.checks()))
                + "; approve '" + spec.id() + "' to end it early";
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
        if (ctx.approved()) {
            return StepOutcome.Done.of(Map.of("endedBy", "approval"));
        }
        List<String> failures = Checks.run(ctx, spec.checks());
        if (!failures.isEmpty()) {
            return Calls.failed("bake check failed: " + String.join("; ", failures));
        }
        Instant end = ctx.startedAt().plus(spec.duration());
        if (!ctx.now().isBefore(end)) {
            return StepOutcome.Done.of(Map.of("endedBy", "time"));
        }
        Duration left = Duration.between(ctx.now(), end);
        // Without checks there is nothing to look at before the end (an approval wakes the step at once).
        Duration next = spec.checks().isEmpty() || left.compareTo(spec.interval()) < 0 ? left : spec.interval();
        return StepOutcome.Pending.after(next, Operations.WAIT, Durations.format(left) + " left, checks green");
    }

    @Override
    public Compensation compensation() {
        return Compensation.NONE;
    }
}
