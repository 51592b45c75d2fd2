package io.cutover.step.kinds;

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
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs health checks until all pass, or fails when the timeout passes first. */
final class VerifyKind implements StepKind<StepSpec.Verify> {
    @Override
    public String name() {
        return "verify";
    }

    @Override
    public Class<StepSpec.Verify> type() {
        return StepSpec.Verify.class;
    }

    @Override
    public void validate(StepSpec.Verify s, Validation v) {
        if (s.checks().isEmpty()) {
            v.problem("checks", "is empty; a verification needs at least one check");
        }
        v.checks(s.checks(), "checks");
        v.bounded(s.timeout(), PlanValidator.MAX_VERIFY_TIMEOUT, "timeout");
        v.bounded(s.interval(), PlanValidator.MAX_INTERVAL, "interval");
    }

    @Override
    public Map<String, String> textFields(StepSpec.Verify s) {
        return Kinds.checkFields(s.checks(), "checks");
    }

    @Override
    public List<StepSpec.Check> checks(StepSpec.Verify s) {
        return s.checks();
    }

    @Override
    public Outputs outputs(StepSpec.Verify s) {
        return Outputs.of("checks");
    }

    @Override
    public Flags flags(StepSpec.Verify s) {
        return new Flags(false, false, false, true, false, StepSpec.Downtime.NONE);
    }

    /** The application answers once it has warmed up after its stack completed. */
    @Override
    public Duration minimumDuration(StepSpec.Verify s, Function<String, Duration> expected) {
        return expected.apply(Operations.CHECK);
    }

    @Override
    public StepBehaviour behaviour(StepSpec.Verify step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.Verify spec;

        Behaviour(StepSpec.Verify spec) {
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
}
