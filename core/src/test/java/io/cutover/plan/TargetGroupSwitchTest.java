package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.file.PlanFileException;
import io.cutover.plan.file.PlanFiles;
import io.cutover.spi.LoadBalancerProvider.Forward;
import io.cutover.step.Grant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The switch-target-group step as users write it: in Java and in a plan file, refused with the fix when wrong. */
class TargetGroupSwitchTest {
    static final String LISTENER =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2";
    static final String RULE = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/shop"
            + "/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
    static final String GREEN_TG =
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/73e2d6bc24d8a067";

    private static final String PLAN = """
            id: lb
            environment: {name: shop-prod, stack: shop-blue}
            steps:
              - kind: verify
                id: verify
                checks: [{type: custom, name: smoke}]
              - kind: switch-target-group
                id: switch
                dependsOn: [verify]
                listener: "%s"
                targetGroup: "%s"
                weights: %s
                stageInterval: PT2M
              - {kind: bake, id: bake, dependsOn: [switch], duration: PT1H}
              - {kind: decommission, id: retire, dependsOn: [bake]}
            """;

    private static Plan file(String listener, String tg, String weights) {
        return PlanFiles.parse(Path.of("lb.yaml"), PLAN.formatted(listener, tg, weights))
                .plan();
    }

    @Test
    void aPlanFileMovesAListenerByWeightsAndTheBuilderWritesTheSameStep() {
        Plan p = file(LISTENER, GREEN_TG, "[10, 50, 100]");
        StepSpec built = Steps.switchTargetGroup("switch")
                .dependsOn("verify")
                .listener(LISTENER)
                .targetGroup(GREEN_TG)
                .weights(10, 50, 100)
                .stageInterval(java.time.Duration.ofMinutes(2))
                .build();
        assertThat(p.stepOrThrow(StepId.of("switch"))).isEqualTo(built);
    }

    @Test
    void aNetworkLoadBalancerOrAMistypedArnIsRefusedWithTheFieldAndTheFix() {
        String nlb = LISTENER.replace("listener/app/", "listener/net/");
        assertThatThrownBy(() -> file(nlb, GREEN_TG, "[]"))
                .isInstanceOf(PlanFileException.class)
                .hasMessageContaining("steps[switch].listener")
                .hasMessageContaining("network or gateway load balancer");
        assertThatThrownBy(() -> file(LISTENER, "green-tg", "[]"))
                .hasMessageContaining("steps[switch].targetGroup")
                .hasMessageContaining("is not a target group ARN");
        assertThatThrownBy(
                        () -> Steps.switchTargetGroup("s").targetGroup(GREEN_TG).build())
                .hasMessageContaining("steps[s].listener: is missing");
        assertThatThrownBy(() -> Steps.switchTargetGroup("s")
                        .listener(LISTENER.replace("123456789012", "1234"))
                        .targetGroup(GREEN_TG)
                        .build())
                .hasMessageContaining("is not an application load balancer's listener or rule ARN");
    }

    @Test
    void weightsMustRiseAndEndWithAllTrafficOnGreen() {
        assertThatThrownBy(() -> file(LISTENER, GREEN_TG, "[50, 50, 100]"))
                .hasMessageContaining("steps[switch].weights[1]")
                .hasMessageContaining("must grow at each stage");
        assertThatThrownBy(() -> file(LISTENER, GREEN_TG, "[10, 50]"))
                .hasMessageContaining("the last stage must give green all traffic (100)");
        assertThatThrownBy(() -> file(LISTENER, GREEN_TG, "[0, 100]"))
                .hasMessageContaining("steps[switch].weights[0]")
                .hasMessageContaining("1 to 100");
    }

    @Test
    void theIamPolicyMayModifyThatListenerOrThatRuleOnly() {
        IamPolicy listener = IamPolicy.of(file(LISTENER, GREEN_TG, "[]"));
        assertThat(listener.grants())
                .filteredOn(g -> g.access() == Grant.Access.WRITE
                        && g.actions().stream().anyMatch(a -> a.startsWith("elasticloadbalancing:")))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.actions()).containsExactly("elasticloadbalancing:ModifyListener");
                    assertThat(g.resources()).containsExactly(LISTENER);
                });
        IamPolicy rule = IamPolicy.of(file(RULE, GREEN_TG, "[]"));
        assertThat(rule.actions())
                .contains("elasticloadbalancing:ModifyRule")
                .doesNotContain("elasticloadbalancing:ModifyListener");
    }

    @Test
    void forwardsThatSendTheSameSharesAreTheSame() {
        String blue = GREEN_TG.replace("green", "blue");
        assertThat(Forward.to(blue).sameTrafficAs(new Forward(Map.of(blue, 100, GREEN_TG, 0))))
                .isTrue();
        assertThat(new Forward(Map.of(blue, 9, GREEN_TG, 1)).sameTrafficAs(new Forward(Map.of(blue, 90, GREEN_TG, 10))))
                .isTrue();
        assertThat(new Forward(Map.of(blue, 90, GREEN_TG, 10))
                        .sameTrafficAs(new Forward(Map.of(blue, 50, GREEN_TG, 50))))
                .isFalse();
        assertThat(Forward.to(blue).sameTrafficAs(Forward.to(GREEN_TG))).isFalse();
        assertThat(List.of(new Forward(Map.of(blue, 90, GREEN_TG, 10)).percentTo(GREEN_TG)))
                .containsExactly(10);
    }
}
