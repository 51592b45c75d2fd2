package io.cutover.step.kinds;

import io.cutover.event.Durations;
import io.cutover.internal.*;
import io.cutover.plan.Identifiers;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.plan.TargetGroupSwitch;
import io.cutover.plan.Validation;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.LoadBalancerProvider.Forward;
import io.cutover.step.Arns;
import io.cutover.step.Compensation;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Moves users to green through an application load balancer: its listener's default action (or one rule's)
 * forwards to green's target group, at once or by weighted stages with checks between them. ELBv2 applies a
 * change to new requests within seconds, so the downtime window closes without a DNS cache to wait out. What
 * the listener forwarded to is saved before the first change; each change is made only while the listener still
 * forwards as this step last left it, and the undo moves it back only then: a listener someone changed since is
 * left as it is, and the failure says so.
 */
final class SwitchTargetGroupKind implements StepKind<StepSpec.SwitchTargetGroup> {
    @Override
    public String name() {
        return "switch-target-group";
    }

    @Override
    public Class<StepSpec.SwitchTargetGroup> type() {
        return StepSpec.SwitchTargetGroup.class;
    }

    @Override
    public void validate(StepSpec.SwitchTargetGroup s, Validation v) {
        TargetGroupSwitch.check(s, v);
    }

    @Override
    public Optional<TrafficMove> trafficMove(StepSpec.SwitchTargetGroup s, Plan plan) {
        return Optional.ofNullable(s.listener())
                .map(l -> new TrafficMove("listener " + l, "targetGroup", String.valueOf(s.targetGroup())));
    }

    @Override
    public Map<String, String> textFields(StepSpec.SwitchTargetGroup s) {
        Map<String, String> f = new LinkedHashMap<>(Kinds.fields("listener", s.listener()));
        f.putAll(Kinds.fields("targetGroup", s.targetGroup()));
        f.putAll(Kinds.checkFields(s.stageChecks(), "stageChecks"));
        return f;
    }

    @Override
    public List<StepSpec.Check> checks(StepSpec.SwitchTargetGroup s) {
        return s.stageChecks();
    }

    @Override
    public Outputs outputs(StepSpec.SwitchTargetGroup s) {
        return Outputs.of("targetGroup", "previousTargetGroups");
    }

    @Override
    public Flags flags(StepSpec.SwitchTargetGroup s) {
        return new Flags(false, true, false, false, false, StepSpec.Downtime.ENDS);
    }

    @Override
    public void preflight(StepSpec.SwitchTargetGroup s, PreflightReads reads) {
        if (s.listener() != null && !Validation.refers(s.listener())) {
            reads.read("listener", "listener '" + s.listener() + "'", () -> {
                if (reads.cloud().loadBalancers().forwardOf(s.listener()).isEmpty()) {
                    reads.problem(
                            "listener",
                            "'" + s.listener() + "' does not forward to a target group (a redirect or fixed"
                                    + " response); switch a listener or rule whose action forwards to blue's");
                }
            });
        }
    }

    @Override
    public Map<String, Integer> preflightCalls(StepSpec.SwitchTargetGroup s) {
        return Map.of(Services.ELBV2, 1);
    }

    @Override
    public Duration minimumDuration(StepSpec.SwitchTargetGroup s, Function<String, Duration> expected) {
        return expected.apply(Operations.FORWARD_SWITCH);
    }

    @Override
    public List<Grant> grants(StepSpec.SwitchTargetGroup s, Plan plan, Arns arns) {
        String listener = Names.literal(s.listener());
        boolean rule = listener.contains(":listener-rule/");
        String resource = listener.equals("*")
                ? "arn:" + arns.partition() + ":elasticloadbalancing:" + arns.region() + ":" + arns.account()
                        + ":listener*/app/*"
                : listener;
        List<String> modify = listener.equals("*")
                ? List.of("elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule")
                : List.of(rule ? "elasticloadbalancing:ModifyRule" : "elasticloadbalancing:ModifyListener");
        return List.of(
                Grant.read(
                        List.of("elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"),
                        List.of("*")),
                Grant.write(modify, List.of(resource)));
    }

    @Override
    public StepBehaviour behaviour(StepSpec.SwitchTargetGroup step) {
        return new Behaviour(step);
    }

    static final class Behaviour implements StepBehaviour {
        private final StepSpec.SwitchTargetGroup spec;

        Behaviour(StepSpec.SwitchTargetGroup spec) {
            this.spec = spec;
        }

        @Override
        public String describe() {
            if (spec.weights().isEmpty()) {
                return "forward listener " + spec.listener() + " to " + spec.targetGroup() + " (one change)";
            }
            return "shift listener " + spec.listener() + " to " + spec.targetGroup() + " by " + spec.weights()
                    + " percent, " + Durations.format(spec.stageInterval()) + " apart"
                    + (spec.stageChecks().isEmpty() ? "" : ", checking " + Checks.describe(spec.stageChecks()));
        }

        @Override
        public List<String> permissions() {
            return List.of(
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeRules",
                    spec.listener() != null && spec.listener().contains(":listener-rule/")
                            ? "elasticloadbalancing:ModifyRule"
                            : "elasticloadbalancing:ModifyListener");
        }

        /** Records what the listener forwards to; the change comes at the next call, once that is saved. */
        @Override
        public StepOutcome start(StepContext ctx) {
            Map<String, String> memo = new HashMap<>();
            if (ctx.memo("orig").isEmpty()) {
                Optional<Forward> now = ctx.cloud().loadBalancers().forwardOf(spec.listener());
                if (now.isEmpty()) {
                    return Calls.failed("listener " + spec.listener() + " does not forward to a target group (a"
                            + " redirect or fixed response); switch a listener or rule that forwards to blue's");
                }
                memo.put("orig", encode(now.get()));
            }
            memo.put("stage", "0");
            return new StepOutcome.Pending(
                    Operations.FORWARD_SWITCH, Optional.of(Duration.ZERO), "blue's target groups saved", memo);
        }

        private int stages() {
            return Math.max(1, spec.weights().size());
        }

        private String stageText(int stage) {
            return spec.weights().isEmpty()
                    ? "switch"
                    : "stage " + (stage + 1) + "/" + spec.weights().size() + " (green "
                            + spec.weights().get(stage) + "%)";
        }

        /** What the listener forwards to at {@code stage} (-1: as it was). */
        private Forward wanted(int stage, Forward orig, String green) {
            if (stage < 0) {
                return orig;
            }
            if (spec.weights().isEmpty() || stage >= spec.weights().size() - 1) {
                return Forward.to(green);
            }
            int g = spec.weights().get(stage);
            Map<String, Integer> blue = new LinkedHashMap<>(orig.carrying());
            blue.remove(green);
            long sum = blue.values().stream().mapToLong(Integer::longValue).sum();
            Map<String, Integer> w = new LinkedHashMap<>();
            blue.forEach((tg, x) -> w.put(tg, (int) Math.round((100.0 - g) * x / sum)));
            w.put(green, g);
            return new Forward(w);
        }

        @Override
        public StepOutcome poll(StepContext ctx) {
            LoadBalancerProvider lb = ctx.cloud().loadBalancers();
            String green = ctx.resolve(spec.targetGroup());
            Optional<String> bad = Identifiers.checkTargetGroupArn(green);
            if (bad.isPresent()) {
                return Calls.failed("targetGroup " + spec.targetGroup() + " is " + bad.get());
            }
            Forward orig = decode(ctx.memo("orig").orElseThrow());
            int stage = Integer.parseInt(ctx.memo("stage").orElse("0"));
            Forward want = wanted(stage, orig, green);
            if (!ctx.memo("set").equals(Optional.of(encode(want)))) {
                Optional<Forward> now = lb.forwardOf(spec.listener());
                if (now.isPresent() && now.get().sameTrafficAs(want)) {
                    // Made before a restart that lost its answer: recorded, not made again.
                    return StepOutcome.Pending.of(
                            Operations.FORWARD_SWITCH, stageText(stage) + " made", Map.of("set", encode(want)));
                }
                Forward before = wanted(stage - 1, orig, green);
                if (now.isEmpty() || !now.get().sameTrafficAs(before)) {
                    return Calls.failed("listener " + spec.listener() + " forwards to "
                            + now.map(f -> f.weights().toString()).orElse("no target group")
                            + ", not " + before.weights() + " as this step left it; someone changed it since, so "
                            + stageText(stage) + " was not made: find who, then run the cutover again");
                }
                lb.forward(spec.listener(), want);
                // ModifyListener answers with the listener as changed, and its describe shows it from then on:
                // users are waiting, so look again at once (a describe that does not show it yet is polled as usual).
                return StepOutcome.Pending.after(Duration.ZERO, Operations.FORWARD_SWITCH, stageText(stage) + " made")
                        .withMemo(Map.of("set", encode(want)));
            }
            Optional<String> settledAt = ctx.memo("settledAt").filter(x -> !x.isEmpty());
            if (settledAt.isEmpty()) {
                Optional<Forward> now = lb.forwardOf(spec.listener());
                if (now.isEmpty() || !now.get().sameTrafficAs(want)) {
                    return StepOutcome.Pending.of(
                            Operations.FORWARD_SWITCH, stageText(stage) + ": the listener does not show it yet");
                }
                if (stage >= stages() - 1) {
                    return StepOutcome.Done.of(Map.of(
                            "targetGroup",
                            green,
                            "previousTargetGroups",
                            String.join(",", orig.carrying().keySet())));
                }
                settledAt = Optional.of(ctx.now().toString());
            }
            Instant next = Instant.parse(settledAt.get()).plus(spec.stageInterval());
            if (ctx.now().isBefore(next)) {
                return new StepOutcome.Pending(
                        Operations.WAIT,
                        Optional.of(Duration.between(ctx.now(), next)),
                        stageText(stage) + " in place; next stage in "
                                + Durations.format(Duration.between(ctx.now(), next)),
                        Map.of("settledAt", settledAt.get()));
            }
            List<String> failures = Checks.run(ctx, spec.stageChecks());
            if (!failures.isEmpty()) {
                return Calls.failed("checks failed at " + stageText(stage) + ": " + String.join("; ", failures));
            }
            return new StepOutcome.Pending(
                    Operations.FORWARD_SWITCH,
                    Optional.of(Duration.ZERO),
                    stageText(stage + 1) + " next",
                    Map.of("stage", String.valueOf(stage + 1), "settledAt", ""));
        }

        @Override
        public Compensation compensation() {
            return Compensation.RESTORES_BLUE;
        }

        @Override
        public String describeCompensation() {
            return "forward the listener to blue's target groups again, if it still forwards as this step left it";
        }

        @Override
        public StepOutcome compensate(StepContext ctx) {
            Optional<Forward> orig = ctx.memo("orig").map(Behaviour::decode);
            if (orig.isEmpty()) {
                return StepOutcome.Done.of();
            }
            LoadBalancerProvider lb = ctx.cloud().loadBalancers();
            Optional<Forward> now = lb.forwardOf(spec.listener());
            if (now.isPresent() && now.get().sameTrafficAs(orig.get())) {
                return StepOutcome.Done.of();
            }
            Optional<Forward> set = ctx.memo("set").map(Behaviour::decode);
            int stage = Integer.parseInt(ctx.memo("stage").orElse("0"));
            // What this step may have made: what it recorded, or the stage it was making when an answer was lost.
            Optional<Forward> making = Optional.of(ctx.resolve(spec.targetGroup()))
                    .filter(g -> Identifiers.checkTargetGroupArn(g).isEmpty())
                    .map(g -> wanted(stage, orig.get(), g));
            boolean ours = now.isPresent()
                    && (set.filter(s -> now.get().sameTrafficAs(s)).isPresent()
                            || making.filter(s -> now.get().sameTrafficAs(s)).isPresent());
            if (!ours) {
                if (set.isEmpty()) {
                    return StepOutcome.Done.of(); // never changed by this step: nothing of ours to undo
                }
                return Calls.failed("listener " + spec.listener() + " forwards to "
                        + now.map(f -> f.weights().toString()).orElse("no target group") + ", neither blue's "
                        + orig.get().weights() + " nor what this step set "
                        + set.get().weights()
                        + "; someone changed it since the switch, so it is left as it is: point it at blue's target"
                        + " group by hand if users should go back");
            }
            lb.forward(spec.listener(), orig.get());
            return StepOutcome.Pending.of(Operations.FORWARD_SWITCH, "moving users back to blue's target groups");
        }

        @Override
        public Map<String, Integer> calls(Phase phase, Map<String, String> memo) {
            return Map.of(Services.ELBV2, phase == Phase.START ? 1 : 2);
        }

        static String encode(Forward f) {
            StringBuilder sb = new StringBuilder();
            f.weights()
                    .forEach((tg, w) -> sb.append(sb.length() == 0 ? "" : ";")
                            .append(tg)
                            .append('=')
                            .append(w));
            return sb.toString();
        }

        static Forward decode(String s) {
            Map<String, Integer> w = new LinkedHashMap<>();
            for (String part : s.split(";")) {
                int eq = part.lastIndexOf('=');
                w.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
            }
            return new Forward(w);
        }
    }
}
