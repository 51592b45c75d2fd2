package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.file.PlanFiles;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The read-replica mode's steps as users write them, refused with the fix where RDS or Cutover cannot follow. */
class ReadReplicaStepsTest {
    private static final String PLAN = """
            id: rr
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [%s]
            steps:
              - {kind: create-read-replica, id: create-replica, database: %s%s}
              - {kind: approval, id: freeze, dependsOn: [create-replica], prompt: "writes stopped?", downtime: %s}
              - {kind: promote-read-replica, id: promote, dependsOn: [freeze], replica: "${create-replica.databaseId}", timeout: %s}
            """;

    private static final String ALONE = "{kind: instance, id: shop-db, ownedByStack: false}";

    private static Plan file(String db, String more, String downtime, String timeout) {
        return PlanFiles.parse(Path.of("rr.yaml"), PLAN.formatted(db, db, more, downtime, timeout))
                .plan();
    }

    @Test
    void aDatabaseStandingAloneIsReplicatedAndPromotedAfterTheFreeze() {
        Plan p = file(ALONE, ", newId: shop-db-2", "starts", "PT10M");
        assertThat(p.stepOrThrow(StepId.of("create-replica")))
                .isEqualTo(Steps.createReadReplica("create-replica")
                        .database(new Database(Database.Kind.INSTANCE, "shop-db", false))
                        .newId("shop-db-2")
                        .build());
        assertThat(p.stepOrThrow(StepId.of("promote")))
                .isEqualTo(Steps.promoteReadReplica("promote")
                        .dependsOn("freeze")
                        .replica("${create-replica.databaseId}")
                        .timeout(Duration.ofMinutes(10))
                        .build());
        IamPolicy iam = IamPolicy.of(p);
        assertThat(iam.actions())
                .contains(
                        "rds:CreateDBInstanceReadReplica",
                        "rds:PromoteReadReplica",
                        "rds:DeleteDBInstance",
                        "cloudwatch:GetMetricStatistics")
                .doesNotContain("rds:DeleteDBSnapshot");
        // The dry run says what each step does and what its undo does, naming both databases.
        assertThat(io.cutover.engine.PlanPreview.render(p))
                .contains("[create-read-replica]")
                .contains("a read replica shop-db-2 of shop-db, in sync within 30s")
                .contains("undo: delete the read replica")
                .contains("[promote-read-replica]")
                .contains("it has not the writes made on green's promoted replica");
        // The promotion and the delete name the replica, not any instance: blue's database is never theirs.
        assertThat(iam.toJson()).contains("arn:aws:rds:*:*:db:shop-db-2").doesNotContain("\"arn:aws:rds:*:*:db:*\"");
    }

    @Test
    void aDatabaseBluesStackCreatesOrAnAuroraClusterIsRefusedWithTheFix() {
        assertThatThrownBy(() -> file("{kind: instance, id: shop-db}", "", "starts", "PT5M"))
                .hasMessageContaining("steps[create-replica].database.ownedByStack")
                .hasMessageContaining("ownedByStack: false");
        assertThatThrownBy(() -> Steps.createReadReplica("c")
                        .database(new Database(Database.Kind.CLUSTER, "shop", false))
                        .build())
                .hasMessageContaining("steps[c].database.kind")
                .hasMessageContaining("Aurora cluster")
                .hasMessageContaining("snapshot-restore");
        assertThatThrownBy(() -> file(ALONE, ", newId: shop-db", "starts", "PT5M"))
                .hasMessageContaining("steps[create-replica].newId");
    }

    @Test
    void aPromotionWithoutAFreezeBeforeItOrWithoutAReplicaIsRefused() {
        assertThatThrownBy(() -> file(ALONE, "", "none", "PT5M"))
                .hasMessageContaining("steps[promote].dependsOn")
                .hasMessageContaining("freezes writes");
        assertThatThrownBy(() -> file(ALONE, "", "starts", "PT2H")).hasMessageContaining("steps[promote].timeout");
        assertThatThrownBy(() -> Steps.promoteReadReplica("p").build())
                .hasMessageContaining("steps[p].replica: is missing");
    }
}
