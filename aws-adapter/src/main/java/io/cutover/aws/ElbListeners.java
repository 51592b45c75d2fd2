package io.cutover.aws;

import io.cutover.spi.ApiService;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.ProviderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * {@link LoadBalancerProvider} over ELBv2: DescribeListeners and ModifyListener for a listener's default action,
 * DescribeRules and ModifyRule for a rule's actions. A forward is written as a {@code ForwardConfig} of weighted
 * target groups; one read back is taken from its {@code ForwardConfig}, or from its single
 * {@code TargetGroupArn} (weight 1) when it has none, as moto answers a forward written with one.
 */
final class ElbListeners implements LoadBalancerProvider {
    private final ElasticLoadBalancingV2Client elb;
    private final AwsCalls calls;

    ElbListeners(ElasticLoadBalancingV2Client elb, AwsCalls calls) {
        this.elb = elb;
        this.calls = calls;
    }

    private static boolean isRule(String arn) {
        return arn.contains(":listener-rule/");
    }

    @Override
    public Optional<Forward> forwardOf(String arn) {
        List<Action> actions;
        if (isRule(arn)) {
            actions = calls
                    .call(
                            ApiService.ELBV2,
                            "DescribeRules",
                            "listener rule '" + arn + "'",
                            () -> elb.describeRules(r -> r.ruleArns(arn)).rules())
                    .stream()
                    .findFirst()
                    .orElseThrow(() -> ProviderException.notFound("DescribeRules", "listener rule '" + arn + "'"))
                    .actions();
        } else {
            actions = calls
                    .call(
                            ApiService.ELBV2,
                            "DescribeListeners",
                            "listener '" + arn + "'",
                            () -> elb.describeListeners(r -> r.listenerArns(arn))
                                    .listeners())
                    .stream()
                    .findFirst()
                    .orElseThrow(() -> ProviderException.notFound("DescribeListeners", "listener '" + arn + "'"))
                    .defaultActions();
        }
        return actions.stream()
                .filter(a -> a.type() == ActionTypeEnum.FORWARD)
                .findFirst()
                .map(ElbListeners::weights)
                .filter(w -> w.values().stream().anyMatch(x -> x > 0))
                .map(Forward::new);
    }

    private static Map<String, Integer> weights(Action a) {
        Map<String, Integer> w = new LinkedHashMap<>();
        if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups()) {
            for (TargetGroupTuple t : a.forwardConfig().targetGroups()) {
                w.put(t.targetGroupArn(), t.weight() == null ? 1 : t.weight());
            }
        } else if (a.targetGroupArn() != null) {
            w.put(a.targetGroupArn(), 1);
        }
        return w;
    }

    @Override
    public void forward(String arn, Forward forward) {
        List<TargetGroupTuple> groups = forward.weights().entrySet().stream()
                .map(e -> TargetGroupTuple.builder()
                        .targetGroupArn(e.getKey())
                        .weight(e.getValue())
                        .build())
                .toList();
        Action action = Action.builder()
                .type(ActionTypeEnum.FORWARD)
                .forwardConfig(f -> f.targetGroups(groups))
                .build();
        if (isRule(arn)) {
            calls.run(
                    ApiService.ELBV2,
                    "ModifyRule",
                    "listener rule '" + arn + "' or target groups "
                            + forward.weights().keySet(),
                    () -> elb.modifyRule(r -> r.ruleArn(arn).actions(action)));
        } else {
            calls.run(
                    ApiService.ELBV2,
                    "ModifyListener",
                    "listener '" + arn + "' or target groups "
                            + forward.weights().keySet(),
                    () -> elb.modifyListener(r -> r.listenerArn(arn).defaultActions(action)));
        }
    }
}
