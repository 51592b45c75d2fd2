package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.PlanValidator;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Validation;
import io.cutover.step.Compensation;
import io.cutover.step.Operations;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepContext;
import io.cutover.step.StepKind;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps blue beside green while checks run; the gate of decommission. Opens when the bake time has passed
 * with checks green, or at once on approval; a failing check fails it, which moves users back to blue.
 */
final class BakeKind implements StepKind<StepSpec.Bake> {
    @Override
    public String name() {
        return "bake";
    }

    @Override
    public Class<StepSpec.Bake> type() {
        return StepSpec.Bake.class;
    }

    @Override
    public void validate(StepSpec.Bake b, Validation v) {
        v.bounded(b.duration(), PlanValidator.MAX_BAKE, "duration");
        v.bounded(b.interval(), PlanValidator.MAX_INTERVAL, "interval");
        v.checks(b.checks(), "checks");
    }

    @Override
    public Map<String, String> textFields(StepSpec.Bake b) {
        return Kinds.checkFields(b.checks(), "checks");
    }

    @Override
    public List<StepSpec.Check> checks(StepSpec.Bake b) {
        return b.checks();
    }

    @Override
    public Outputs outputs(StepSpec.Bake b) {
        return Outputs.of("endedBy");
    }

    @Override
    public Flags flags(StepSpec.Bake b) {
        return new Flags(true, false, false, false, false, StepSpec.Downtime.NONE);
    }

    @Override
    public Optional<String> gateWaitsFor(
            StepSpec.Bake b, Optional<java.time.Instant> startedAt, java.time.Instant now) {
        return startedAt.map(t -> {
            Duration left = Duration.between(now, t.plus(b.duration()));
            return "bake '" + b.id() + "' has " + Durations.format(left.isNegative() ? Duration.ZERO : left) + " left";
        });
    }

    @Override
    public Duration minimumDuration(StepSpec.Bake b, Function<String, Duration> expected) {
        return b.duration();
    }

    @Override
    public StepBehaviour behaviour(StepSpec.Bake step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.Bake spec;

        Behaviour(StepSpec.Bake spec) {
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
}
