package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.RestoreSettings;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A restored database keeps what blue's had (its class and settings as they are now) unless the plan says otherwise. */
class RestoreSettingsTest {
    private final Fixture f = new Fixture();

    private Plan restore(RestoreSettings settings) {
        Environment.Database db = f.env.databases().get(0);
        return Plan.of(
                "restore-settings",
                f.env,
                List.of(
                        new StepSpec.SnapshotDatabase(StepId.of("snap"), List.of(), db),
                        new StepSpec.RestoreDatabase(
                                StepId.of("restore"),
                                List.of(StepId.of("snap")),
                                db,
                                "${snap.snapshotId}",
                                Optional.of("restored-copy"),
                                Optional.empty(),
                                settings)));
    }

    private void configureBlue() {
        f.cloud.configure(
                Kind.INSTANCE,
                f.blueDb(),
                "db.r6g.xlarge",
                Map.of(
                        "multiAz", "true",
                        "storageType", "gp3",
                        "iops", "12000",
                        "storageThroughput", "500",
                        "optionGroup", "shop-options",
                        "parameterGroup", "shop-params",
                        "port", "5433",
                        "backupRetentionDays", "14",
                        "iamAuthentication", "true"));
    }

    @Test
    void theRestoreCopiesBluesClassAndSettings() {
        configureBlue();
        CutoverRun run = f.sim.engine().build().start(restore(RestoreSettings.ofSource()));
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        var restored = f.cloud.database(Kind.INSTANCE, "restored-copy").orElseThrow();
        assertThat(restored.instanceClass()).isEqualTo("db.r6g.xlarge");
        assertThat(restored.settings())
                .containsEntry("multiAz", "true")
                .containsEntry("storageType", "gp3")
                .containsEntry("iops", "12000")
                .containsEntry("storageThroughput", "500")
                .containsEntry("optionGroup", "shop-options")
                .containsEntry("parameterGroup", "shop-params")
                .containsEntry("port", "5433")
                .containsEntry("backupRetentionDays", "14")
                .containsEntry("iamAuthentication", "true");
    }

    @Test
    void thePlansOverridesWin() {
        configureBlue();
        RestoreSettings settings = RestoreSettings.ofSource()
                .withMultiAz(false)
                .withStorage("io2", Optional.of(20000), Optional.empty())
                .withBackupRetentionDays(1);
        CutoverRun run = f.sim.engine().build().start(restore(settings));
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud
                        .database(Kind.INSTANCE, "restored-copy")
                        .orElseThrow()
                        .settings())
                .containsEntry("multiAz", "false")
                .containsEntry("storageType", "io2")
                .containsEntry("iops", "20000")
                .containsEntry("backupRetentionDays", "1")
                .containsEntry("port", "5433");
    }

    @Test
    void aPlanFileGivesTheOverrides() {
        configureBlue();
        var file = io.cutover.plan.file.PlanFiles.parse(java.nio.file.Path.of("plan.yaml"), """
                id: restore-file
                environment:
                  name: shop-prod
                  stack: shop-blue
                  databases: [{kind: instance, id: %s}]
                steps:
                  - {kind: snapshot-database, id: snap, database: {kind: instance, id: %1$s}}
                  - kind: restore-database
                    id: restore
                    dependsOn: [snap]
                    source: {kind: instance, id: %1$s}
                    snapshot: ${snap.snapshotId}
                    newId: file-copy
                    settings: {multiAz: false, port: 6543}
                """.formatted(f.blueDb()));
        CutoverRun run = f.sim.engine().build().start(file.plan());
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.database(Kind.INSTANCE, "file-copy").orElseThrow().settings())
                .containsEntry("multiAz", "false")
                .containsEntry("port", "6543")
                .containsEntry("storageType", "gp3");
    }

    @Test
    void settingsOutOfRangeAreRefusedBeforeAnyCall() {
        RestoreSettings bad = new RestoreSettings(
                null,
                Optional.of("fast"),
                Optional.of(10),
                null,
                null,
                null,
                null,
                null,
                null,
                Optional.of(80),
                Optional.of(90),
                null,
                null);
        assertThatThrownBy(() -> f.sim.engine().build().start(restore(bad)))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[restore].settings.storageType: 'fast' is not a storage type")
                .hasMessageContaining("steps[restore].settings.iops: 10 is out of range; 1000 to 256000")
                .hasMessageContaining("steps[restore].settings.port: 80 is out of range")
                .hasMessageContaining("steps[restore].settings.backupRetentionDays: 90 is out of range; 0 to 35");
    }
}
