package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.step.Grant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IamPolicyTest {
    private static final String TEMPLATE = "{\"Resources\": {\"Db\": {\"Type\": \"AWS::RDS::DBInstance\"},"
            + " \"Disk\": {\"Type\": \"AWS::EC2::Volume\"}}}";

    private static Plan plan(Environment env) {
        return Plan.of(
                "up-1",
                env,
                List.of(new StepSpec.CloneStack(
                        StepId.of("clone"),
                        List.of(),
                        "shop-green",
                        StepSpec.TemplateRef.ofBody(TEMPLATE),
                        Map.of("DBPassword", "${secret:shop-db#password}"),
                        true,
                        Map.of(),
                        List.of())));
    }

    @Test
    void aPlanThatReadsASecretMayReadThatSecretOnly() {
        IamPolicy p = IamPolicy.of(plan(Environment.of("shop", "shop-blue")));
        assertThat(p.grants())
                .filteredOn(g -> g.actions().contains("secretsmanager:GetSecretValue"))
                .singleElement()
                .satisfies(g ->
                        assertThat(g.resources()).containsExactly("arn:aws:secretsmanager:*:*:secret:shop-db-??????"));
    }

    @Test
    void withoutARoleCloudFormationUsesTheCallersRightsForTheTemplatesTypesOnlyThroughCloudFormation() {
        IamPolicy p = IamPolicy.of(plan(Environment.of("shop", "shop-blue")));
        assertThat(p.roleJson()).isEmpty();
        assertThat(p.grants())
                .filteredOn(g -> g.actions().contains("rds:CreateDBInstance"))
                .singleElement()
                .satisfies(g -> assertThat(g.conditions())
                        .containsExactly(new Grant.Condition(
                                "ForAnyValue:StringEquals", "aws:CalledVia", List.of("cloudformation.amazonaws.com"))));
        assertThat(p.actions()).doesNotContain("iam:PassRole");
    }

    @Test
    void withARoleTheCallerPassesItToCloudFormationOnlyAndTheRoleHoldsTheTemplatesRights() {
        String role = "arn:aws:iam::123456789012:role/cutover-stacks";
        IamPolicy p = IamPolicy.of(plan(Environment.of("shop", "shop-blue").withRoleArn(role)));
        assertThat(p.grants())
                .filteredOn(g -> g.actions().contains("iam:PassRole"))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.resources()).containsExactly(role);
                    assertThat(g.conditions())
                            .containsExactly(
                                    Grant.Condition.equals("iam:PassedToService", "cloudformation.amazonaws.com"));
                });
        assertThat(p.grants())
                .filteredOn(g -> g.actions().contains("cloudformation:CreateStack"))
                .singleElement()
                .satisfies(g -> assertThat(g.conditions())
                        .containsExactly(Grant.Condition.equals("cloudformation:RoleArn", role)));
        assertThat(p.actions()).doesNotContain("rds:CreateDBInstance", "ec2:CreateVolume");
        assertThat(p.roleJson())
                .hasValueSatisfying(json -> assertThat(json)
                        .contains("rds:CreateDBInstance", "ec2:CreateVolume")
                        .doesNotContain("aws:CalledVia"));
    }
}
