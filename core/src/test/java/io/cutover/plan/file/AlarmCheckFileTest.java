package io.cutover.plan.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.step.Grant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A CloudWatch alarm as a check in a plan file: its name, its refusals, and the read it needs. */
class AlarmCheckFileTest {
    private static final String PLAN = """
            id: shop-upgrade
            environment: {name: shop-prod, stack: shop-blue}
            steps:
              - {kind: verify, id: v, checks: [{type: alarm, name: %s}]}
            """;

    @Test
    void anAlarmCheckNamesItsAlarmAndThePolicyMayDescribeAlarms() {
        var plan = PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted("shop-green-5xx"))
                .plan();

        assertThat(((StepSpec.Verify) plan.stepOrThrow(StepId.of("v"))).checks())
                .containsExactly(StepSpec.Check.Alarm.of("shop-green-5xx"));
        assertThat(IamPolicy.of(plan).grants())
                .filteredOn(g -> g.actions().contains("cloudwatch:DescribeAlarms"))
                .singleElement()
                .satisfies(g -> assertThat(g.access()).isEqualTo(Grant.Access.READ));
    }

    @Test
    void aPlanWithoutAlarmChecksIsNotGrantedCloudWatch() {
        String plan = PLAN.replace("{type: alarm, name: %s}", "{type: http, url: \"https://shop.example.com/\"}");
        assertThat(IamPolicy.of(PlanFiles.parse(Path.of("plan.yaml"), plan).plan())
                        .grants())
                .noneSatisfy(g -> assertThat(g.actions()).contains("cloudwatch:DescribeAlarms"));
    }

    @Test
    void anAlarmCheckWithoutANameIsRefusedWithAnExample() {
        String message = catchThrowable(() -> PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted("\"\"")))
                .getMessage();
        assertThat(message).contains("steps[v].checks[0].name").contains("name a CloudWatch alarm, e.g.");
    }
}
