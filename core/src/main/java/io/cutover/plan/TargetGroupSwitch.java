package io.cutover.plan;

import io.cutover.plan.StepSpec.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The builder of a {@link StepSpec.SwitchTargetGroup} ({@code Steps.switchTargetGroup("switch")}) and the checks
 * of its fields, which plan files and the builder share.
 */
public final class TargetGroupSwitch {
    private TargetGroupSwitch() {}

    /**
     * Reports what is wrong with the step's fields: the listener's and the target group's ARN shapes (unless they
     * hold references), and weights that rise, 1 to 100, ending at 100.
     */
    public static void check(StepSpec.SwitchTargetGroup s, Validation v) {
        v.present(s.listener(), "listener", "give the application load balancer's listener ARN (or a rule's)");
        if (s.listener() != null && !s.listener().isBlank()) {
            v.identifier(s.listener(), Identifiers::checkListenerArn, "listener");
        }
        v.present(s.targetGroup(), "targetGroup", "e.g. ${green.outputs.TargetGroupArn}");
        if (s.targetGroup() != null && !s.targetGroup().isBlank()) {
            v.identifier(s.targetGroup(), Identifiers::checkTargetGroupArn, "targetGroup");
        }
        int previous = 0;
        for (int i = 0; i < s.weights().size(); i++) {
            Integer w = s.weights().get(i);
            if (w == null || w < 1 || w > 100) {
                v.problem("weights[" + i + "]", w + " is out of range; green's share at a stage is 1 to 100 (percent)");
            } else if (w <= previous) {
                v.problem(
                        "weights[" + i + "]",
                        w + " is not above the stage before (" + previous + "); green's share must grow at each stage");
            }
            previous = w == null ? previous : w;
        }
        if (!s.weights().isEmpty() && previous != 100) {
            v.problem("weights", "the last stage must give green all traffic (100)");
        }
        v.checks(s.stageChecks(), "stageChecks");
        v.bounded(s.stageInterval(), PlanValidator.MAX_INTERVAL, "stageInterval");
    }

    /** Builds a {@link StepSpec.SwitchTargetGroup}. */
    public static final class Builder extends Steps.StepBuilder<Builder, StepSpec.SwitchTargetGroup> {
        private String listener;
        private String targetGroup;
        private final List<Integer> weights = new ArrayList<>();
        private Duration stageInterval = Duration.ofMinutes(5);
        private final List<Check> stageChecks = new ArrayList<>();

        Builder(String id) {
            super(id);
        }

        /** The application load balancer's listener ARN, or one of its rules' (required). */
        public Builder listener(String listenerOrRuleArn) {
            this.listener = listenerOrRuleArn;
            return this;
        }

        /** Green's target group (required), e.g. {@code ${green.outputs.TargetGroupArn}}. */
        public Builder targetGroup(String targetGroupArn) {
            this.targetGroup = targetGroupArn;
            return this;
        }

        /** Green's percent of requests at each stage (rising, ending at 100); none switches at once. */
        public Builder weights(Integer... percents) {
            this.weights.addAll(Arrays.asList(percents));
            return this;
        }

        /** The time between stages (5 minutes by default). */
        public Builder stageInterval(Duration interval) {
            this.stageInterval = interval;
            return this;
        }

        /** Checks that must pass before each next stage. */
        public Builder stageCheck(Check... checks) {
            this.stageChecks.addAll(Arrays.asList(checks));
            return this;
        }

        @Override
        void check(Validation v) {
            TargetGroupSwitch.check(create(StepId.of("x"), List.of()), v);
        }

        @Override
        StepSpec.SwitchTargetGroup create(StepId id, List<StepId> dependsOn) {
            return new StepSpec.SwitchTargetGroup(
                    id, dependsOn, listener, targetGroup, weights, stageInterval, stageChecks);
        }
    }
}
