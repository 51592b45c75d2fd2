package io.cutover.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.file.PlanFiles;
import io.cutover.step.Arns;
import io.cutover.step.kinds.StepKinds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Aurora fast clones as users write them, refused with the fix where RDS cannot clone. */
class CloneStepsTest {
    private static final String PLAN = """
            id: aurora
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [%s]
            hooks:
              freeze-writes: {run: "true"}
            steps:
              - {kind: clone-database, id: clone-rehearsal-db, source: %s}
              - {kind: hook, id: freeze, dependsOn: [clone-rehearsal-db], hook: freeze-writes, downtime: STARTS}
              - {kind: clone-database, id: clone-final-db, dependsOn: [%s], source: %s, replaces: %s%s}
            """;

    private static final String CLUSTER = "{kind: cluster, id: shop-aurora, ownedByStack: false}";

    private static Plan file(String db, String finalDeps, String replaces, String more) {
        return PlanFiles.parse(Path.of("aurora.yaml"), PLAN.formatted(db, db, finalDeps, db, replaces, more))
                .plan();
    }

    @Test
    void aRehearsalCloneAndAFinalOneThatReplacesItReadAsWrittenAndAreGrantedOnTheirOwnNames() {
        Plan p = file(CLUSTER, "freeze", "clone-rehearsal-db", ", settings: {backupRetentionDays: 7}");
        assertThat(p.stepOrThrow(StepId.of("clone-final-db")))
                .isEqualTo(Steps.cloneDatabase("clone-final-db")
                        .dependsOn("freeze")
                        .source(new Database(Database.Kind.CLUSTER, "shop-aurora", false))
                        .settings(RestoreSettings.ofSource().withBackupRetentionDays(7))
                        .replaces("clone-rehearsal-db")
                        .build());
        IamPolicy policy = IamPolicy.of(p, StepKinds.builtIn(), Arns.of("us-east-1", "1"));
        assertThat(policy.actions())
                .contains("rds:RestoreDBClusterToPointInTime", "rds:CreateDBInstance", "rds:DeleteDBCluster")
                .doesNotContain("rds:CreateDBClusterSnapshot", "rds:RestoreDBClusterFromSnapshot");
        // Deletes reach the clones this plan names, the rehearsal's too, never blue's cluster.
        assertThat(policy.grants().stream()
                        .filter(g -> g.actions().contains("rds:DeleteDBCluster"))
                        .flatMap(g -> g.resources().stream()))
                .contains(
                        "arn:aws:rds:us-east-1:1:cluster:aurora-clone-final-db",
                        "arn:aws:rds:us-east-1:1:cluster:aurora-clone-rehearsal-db")
                .doesNotContain("arn:aws:rds:us-east-1:1:cluster:shop-aurora", "*");
        assertThat(policy.grants().stream()
                        .filter(g -> g.actions().contains("rds:RestoreDBClusterToPointInTime"))
                        .flatMap(g -> g.resources().stream()))
                .contains("arn:aws:rds:us-east-1:1:cluster:shop-aurora");
    }

    @Test
    void aCloneOfADbInstanceIsRefusedNamingTheDatabaseAndTheModesThatCopyIt() {
        assertThatThrownBy(() -> file("{kind: instance, id: shop-db}", "freeze", "clone-rehearsal-db", ""))
                .hasMessageContaining("steps[clone-rehearsal-db].source.kind")
                .hasMessageContaining("'shop-db' is a DB instance")
                .hasMessageContaining("restore-database");
        assertThatThrownBy(() -> Steps.cloneDatabase("c")
                        .source(Database.instance("shop-db"))
                        .build())
                .hasMessageContaining("steps[c].source.kind")
                .hasMessageContaining("Steps.restoreDatabase");
        assertThatThrownBy(() -> Steps.cloneDatabase("c").build()).hasMessageContaining("steps[c].source: is missing");
    }

    @Test
    void aReplacedCloneMustBeAnEarlierCloneOfTheSameClusterUpstream() {
        assertThatThrownBy(() -> file(CLUSTER, "clone-rehearsal-db", "freeze", ""))
                .hasMessageContaining("steps[clone-final-db].replaces")
                .hasMessageContaining("'freeze' is not a clone-database step");
        // Not upstream: the two clones would run side by side and one delete the other's.
        assertThatThrownBy(() -> PlanFiles.parse(Path.of("x.yaml"), """
                        id: aurora
                        environment: {name: shop-prod, stack: shop-blue, databases: [%s]}
                        steps:
                          - {kind: clone-database, id: a, source: %1$s}
                          - {kind: clone-database, id: b, source: %1$s, replaces: a}
                        """.formatted(CLUSTER)))
                .hasMessageContaining("steps[b].replaces")
                .hasMessageContaining("'a' is not upstream of 'b'");
    }

    @Test
    void settingsAClusterDoesNotTakeAreRefused() {
        assertThatThrownBy(() -> file(
                        CLUSTER,
                        "freeze",
                        "clone-rehearsal-db",
                        ", settings: {multiAz: true, storageType: gp3, backupRetentionDays: 0}"))
                .hasMessageContaining("steps[clone-final-db].settings.multiAz: does not apply to an Aurora clone")
                .hasMessageContaining("steps[clone-final-db].settings.storageType: 'gp3' is not an Aurora storage type")
                .hasMessageContaining("steps[clone-final-db].settings.backupRetentionDays: 0 is out of range");
    }

    @Test
    void theParallelUpgradeClonesAClusterNamedByACloneParameterInsteadOfSnapshottingIt() {
        Plan p = PlanFiles.parse(Path.of("strategy.yaml"), """
                        id: aurora
                        environment:
                          name: shop-prod
                          stack: shop-blue
                          databases: [%s]
                          dns: {zoneId: Z0123456789ABC, name: shop.example.com, type: CNAME}
                        hooks:
                          freeze-writes: {run: "true"}
                          unfreeze-writes: {run: "true"}
                        strategy:
                          parallelUpgrade:
                            greenStack: shop-green
                            template: {url: "https://s3.amazonaws.com/my-bucket/shop-2.0.json"}
                            cloneParameters: {DatabaseEndpoint: shop-aurora}
                            checks: [{type: http, url: "https://${green.outputs.Endpoint}/health"}]
                            freezeWrites: {hook: freeze-writes, undo: unfreeze-writes}
                        """.formatted(CLUSTER))
                .plan();

        assertThat(p.steps()).extracting(s -> s.id().value()).noneMatch(id -> id.startsWith("snap-"));
        assertThat(p.stepOrThrow(StepId.of("clone-final-db")))
                .isEqualTo(Steps.cloneDatabase("clone-final-db")
                        .dependsOn("freeze")
                        .source(new Database(Database.Kind.CLUSTER, "shop-aurora", false))
                        .replaces("clone-rehearsal-db")
                        .build());
        assertThat(((StepSpec.CloneStack) p.stepOrThrow(StepId.of("clone"))).parameters())
                .containsEntry("DatabaseEndpoint", "${clone-rehearsal-db.endpoint}");
        assertThat(((StepSpec.UpdateStack) p.stepOrThrow(StepId.of("resync"))).parameters())
                .containsEntry("DatabaseEndpoint", "${clone-final-db.endpoint}");
        Environment instanceEnv = Environment.of("shop-prod", "shop-blue").withDatabase(Database.instance("shop-db"));
        assertThatThrownBy(() ->
                        Strategies.parallelUpgrade("x", instanceEnv).cloneParameter("DatabaseEndpoint", "shop-db"))
                .hasMessageContaining("'shop-db' is a DB instance")
                .hasMessageContaining("snapshotParameter");
    }

    @Test
    void aClusterOutsideTheEnvironmentIsRefused() {
        assertThatThrownBy(() -> PlanFiles.parse(Path.of("x.yaml"), """
                        id: aurora
                        environment: {name: shop-prod, stack: shop-blue}
                        steps:
                          - {kind: clone-database, id: a, source: %s}
                        """.formatted(CLUSTER)))
                .hasMessageContaining("steps[a].source.id")
                .hasMessageContaining("add it to environment.databases");
    }
}
