package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rds-blue-green mode's steps as users write them, refused with the fix where RDS or Cutover cannot follow. */
class BlueGreenStepsTest {
    private static final String PLAN = """
            id: bg
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [%s]
            steps:
              - {kind: create-blue-green, id: create-bg, database: %s}
              - {kind: switchover-blue-green, id: switchover, dependsOn: [create-bg], deployment: "${create-bg.deploymentId}", timeout: %s}
            """;

    private static Plan file(String db, String timeout) {
        return PlanFiles.parse(Path.of("bg.yaml"), PLAN.formatted(db, db, timeout))
                .plan();
    }

    @Test
    void aDatabaseStandingAloneIsSwitchedWithinRdsTimeout() {
        Plan p = file("{kind: instance, id: shop-db, ownedByStack: false}", "PT5M");
        assertThat(p.stepOrThrow(StepId.of("switchover")))
                .isEqualTo(Steps.switchoverBlueGreen("switchover")
                        .dependsOn("create-bg")
                        .deployment("${create-bg.deploymentId}")
                        .build());
        assertThat(IamPolicy.of(p).actions())
                .contains(
                        "rds:CreateBlueGreenDeployment",
                        "rds:CreateDBInstanceReadReplica",
                        "rds:SwitchoverBlueGreenDeployment",
                        "rds:PromoteReadReplica",
                        "rds:DeleteBlueGreenDeployment");
    }

    @Test
    void decommissionMaySnapshotAndDeleteBluesOldDatabaseWhichTheSwitchoverRenamed() {
        Database db = new Database(Database.Kind.INSTANCE, "shop-db", false);
        Plan p = Plan.of(
                "bg",
                Environment.of("shop-prod", "shop-blue").withDatabase(db),
                java.util.List.of(
                        Steps.createBlueGreen("create-bg").database(db).build(),
                        Steps.switchoverBlueGreen("switchover")
                                .dependsOn("create-bg")
                                .deployment("${create-bg.deploymentId}")
                                .build(),
                        Steps.decommission("decommission")
                                .dependsOn("switchover")
                                .build()));
        IamPolicy policy = IamPolicy.of(
                p, io.cutover.step.kinds.StepKinds.builtIn(), io.cutover.step.Arns.of("eu-west-1", "123456789012"));
        String old = "arn:aws:rds:eu-west-1:123456789012:db:shop-db-old1";
        // The final snapshot is of blue's old database: after the switchover that is 'shop-db-old1'.
        for (String action : java.util.List.of("rds:CreateDBSnapshot", "rds:DeleteDBInstance")) {
            assertThat(policy.grants()).as(action + " on " + old).anySatisfy(g -> {
                assertThat(g.actions()).contains(action);
                assertThat(g.resources()).anyMatch(r -> old.matches(r.replace("*", ".*")));
            });
        }
    }

    @Test
    void aDatabaseBluesStackCreatesIsRefusedBecauseRetiringTheStackWouldDeleteTheSwitchedDatabase() {
        assertThatThrownBy(() -> file("{kind: instance, id: shop-db}", "PT5M"))
                .hasMessageContaining("steps[create-bg].database.ownedByStack")
                .hasMessageContaining("deleting blue's stack would delete it");
        assertThatThrownBy(() -> Steps.createBlueGreen("c")
                        .database(new Database(Database.Kind.CLUSTER, "shop", false))
                        .build())
                .hasMessageContaining("steps[c].database.kind")
                .hasMessageContaining("DB instances only");
    }

    @Test
    void aTimeoutOutsideRdsBoundsIsRefused() {
        assertThatThrownBy(() -> file("{kind: instance, id: shop-db, ownedByStack: false}", "PT2H"))
                .hasMessageContaining("steps[switchover].timeout")
                .hasMessageContaining("30 s to 1 h");
        assertThatThrownBy(() -> Steps.switchoverBlueGreen("s")
                        .deployment("bgd-x")
                        .timeout(Duration.ofSeconds(10))
                        .build())
                .hasMessageContaining("steps[s].timeout");
        assertThatThrownBy(() -> Steps.switchoverBlueGreen("s").build())
                .hasMessageContaining("steps[s].deployment: is missing");
    }
}
