package io.cutover.examples.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.RefusedException;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.file.PlanFiles;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.step.Hooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The five vendors' procedures, each as a Java plan and as its YAML plan file, run on the simulated cloud;
 * each asserts the end state a person would check, and the downtime window where the procedure has one.
 */
class SeedProceduresTest {
    private static Plan yaml(String file) {
        return PlanFiles.load(Path.of("plans", file)).plan();
    }

    private static Duration between(StepState from, StepState to) {
        return Duration.between(from.startedAt().orElseThrow(), to.endedAt().orElseThrow());
    }

    // ------------------------------------------------------------------------------ 000 CloudShell

    @Test
    void cloudShellUpgradesValidationThenProductionWithTheServiceStoppedMeanwhile() {
        SeedWorld w = new SeedWorld();
        List<RunState> runs = CloudShellUpgrade.upgradeBoth(w, "2022.2 GA", "2023.3 GA", false);
        for (RunState s : runs) {
            assertCloudShellUpgraded(w, s);
        }
        assertThat(runs.get(0).updatedAt()).isBeforeOrEqualTo(runs.get(1).createdAt());
        assertThat(w.hookLog())
                .containsExactly(
                        "stop-service",
                        "backup-overwritten-files",
                        "start-service",
                        "stop-service",
                        "backup-overwritten-files",
                        "start-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-cloudshell-validation.yaml", "000-cloudshell-production.yaml"})
    void cloudShellYamlPlansDoTheSame(String file) {
        SeedWorld w = new SeedWorld();
        assertCloudShellUpgraded(w, w.run(yaml(file), CloudShellUpgrade.hooks(w, "2022.2 GA", "2023.3 GA"), false));
    }

    private static void assertCloudShellUpgraded(SeedWorld w, RunState s) {
        assertThat(s.status()).as("%s", s.failure()).isEqualTo(RunStatus.COMPLETED);
        String stack = s.plan().environment().stack();
        assertThat(w.sim().cloud().stack(stack).orElseThrow().parameters())
                .containsEntry("CloudShellVersion", "2023.3");
        assertThat(s.step(StepId.of("new-licence")).status()).isNotNull();
        assertThat(s.approvals()).contains("new-licence");
        assertThat(w.sim().cloud().databaseSnapshots()).anyMatch(x -> x.source().equals(stack + "-database"));
        // The service is down from its stop until its start, and nothing else.
        assertThat(s.downtimeStartedAt())
                .contains(s.step(StepId.of("stop-service")).startedAt().orElseThrow());
        assertThat(s.downtimeEndedAt())
                .contains(s.step(StepId.of("start-service")).endedAt().orElseThrow());
    }

    @Test
    void cloudShellRefusesAnUnsupportedPathBeforeTheServiceStopsAndLeavesProductionAlone() {
        SeedWorld w = new SeedWorld();
        assertThatThrownBy(() -> CloudShellUpgrade.upgradeBoth(w, "5.0 GA", "2023.3 GA", false))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("6.x GA or later");
        assertThat(w.hookLog()).isEmpty();
        assertThat(w.sim().cloud().stack("cloudshell-validation").orElseThrow().parameters())
                .containsEntry("CloudShellVersion", "cloudshell-validation");
        assertThat(w.sim().cloud().stack("cloudshell-production")).isEmpty();
    }

    @Test
    void cloudShellUpgradePathRules() {
        assertThat(CloudShellUpgradePath.refusal("6.0 GA", "2023.3 GA")).isEmpty();
        assertThat(CloudShellUpgradePath.refusal("2023.3 GA", "2023.3 patch 2")).isEmpty();
        assertThat(CloudShellUpgradePath.refusal("2023.1 patch 1", "2023.3 GA")).isEmpty();
        assertThat(CloudShellUpgradePath.refusal("5.4 GA", "2023.3 GA"))
                .hasValueSatisfying(r -> assertThat(r).contains("6.x GA or later"));
        assertThat(CloudShellUpgradePath.refusal("2023.1 patch 1", "2023.1 patch 3"))
                .hasValueSatisfying(r -> assertThat(r).contains("on its GA version only"));
        assertThat(CloudShellUpgradePath.refusal("2023.1 GA", "2023.3 patch 1")).isPresent();
        assertThat(CloudShellUpgradePath.check(
                        CloudShellUpgradePath.Version.parse("2023.3 GA"),
                        CloudShellUpgradePath.Version.parse("2023.3 patch 1")))
                .isEqualTo(new CloudShellUpgradePath.Verdict.Supported(false));
        assertThat(CloudShellUpgradePath.check(
                        CloudShellUpgradePath.Version.parse("2022.2 GA"),
                        CloudShellUpgradePath.Version.parse("2023.3 GA")))
                .isEqualTo(new CloudShellUpgradePath.Verdict.Supported(true));
    }

    // ------------------------------------------------------------------------------ 001 QHub

    @Test
    void qhubRedeploysUnderANewProjectNameFromTheConfirmedBackup() {
        SeedWorld w = new SeedWorld();
        assertQhub(w, QhubRedeploy.run(w, false));
    }

    @Test
    void qhubYamlPlanDoesTheSame() {
        SeedWorld w = new SeedWorld();
        var file = PlanFiles.load(Path.of("plans", "001-qhub.yaml"));
        Hooks.Builder hooks = Hooks.builder();
        file.hooks().keySet().forEach(h -> hooks.hook(h, w.recorded(h)));
        RunState s = w.run(file.plan(), hooks.build(), false);
        assertQhubCluster(w, s);
        // The old cluster is hidden before the backup, and nothing is deployed before the backup is confirmed and
        // prevent_deploy removed from the config file.
        assertThat(s.step(StepId.of("hide-old")).endedAt().orElseThrow())
                .isBeforeOrEqualTo(s.step(StepId.of("backup-db")).startedAt().orElseThrow());
        assertThat(s.step(StepId.of("allow-deploy")).endedAt().orElseThrow())
                .isBeforeOrEqualTo(s.step(StepId.of("deploy-new")).startedAt().orElseThrow());
        assertThat(w.hookLog()).containsExactly("migrate-config", "allow-deploy");
        assertThat(s.approvals()).contains("prevent-deploy", "repoint-oauth", "import-users");
        assertThat(s.plan().steps().stream()
                        .filter(x -> x.id().value().equals("repoint-oauth"))
                        .findFirst()
                        .orElseThrow()
                        .toString())
                .contains("https://qhub.example.com/auth/realms/qhub/broker/github/endpoint");
    }

    private static void assertQhub(SeedWorld w, RunState s) {
        assertQhubCluster(w, s);
        // Nothing was deployed before the backup was confirmed.
        assertThat(s.step(StepId.of("prevent-deploy")).endedAt().orElseThrow())
                .isBeforeOrEqualTo(s.step(StepId.of("hide-old")).startedAt().orElseThrow());
        assertThat(w.hookLog()).containsExactly("migrate-config", "repoint-oauth", "import-users");
    }

    private static void assertQhubCluster(SeedWorld w, RunState s) {
        assertThat(s.status()).as("%s", s.failure()).isEqualTo(RunStatus.COMPLETED);
        var cloud = w.sim().cloud();
        var green = cloud.stack("myqhubnew").orElseThrow();
        assertThat(green.parameters()).containsEntry("ProjectName", "myqhubnew").containsEntry("QhubVersion", "0.4.0");
        assertThat(cloud.stackBehind("qhub.example.com")).contains("myqhubnew");
        assertThat(cloud.stack("myqhub")).as("the old cluster is destroyed").isEmpty();
        assertThat(cloud.database(Kind.INSTANCE, green.resource("HubDatabase"))
                        .orElseThrow()
                        .restoredFrom())
                .contains(s.step(StepId.of("backup-db")).outputs().get("snapshotId"));
        assertThat(cloud.databaseSnapshots()).anyMatch(x -> x.id().equals("myqhub-hubdatabase-final-qhub-0-4"));
    }

    @Test
    void qhubRefusesToDeployUntilTheBackupIsConfirmed() {
        SeedWorld w = new SeedWorld();
        Plan plan = QhubRedeploy.plan();
        w.sim().seed(plan);
        var run = w.sim().engine().hooks(QhubRedeploy.hooks(w)).build().start(plan);
        w.sim().runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.WAITING);
        assertThat(w.sim().cloud().stack("myqhubnew")).isEmpty();
        assertThat(w.sim().cloud().stack("myqhub").orElseThrow().parameters()).containsEntry("Domain", "myqhub");
        assertThat(w.hookLog()).isEmpty();
    }

    // ------------------------------------------------------------------------------ 002 CloverDX

    @Test
    void cloverDxPausesJobsOnlyForTheSnapshotsAndMovesTheIpToTheNewServer() {
        SeedWorld w = new SeedWorld();
        assertClover(w, CloverDxUpgrade.run(w, false));
    }

    @Test
    void cloverDxYamlPlanDoesTheSame() {
        SeedWorld w = new SeedWorld();
        assertClover(w, w.run(yaml("002-cloverdx.yaml"), CloverDxUpgrade.hooks(w), false));
    }

    private static void assertClover(SeedWorld w, RunState s) {
        assertThat(s.status()).as("%s", s.failure()).isEqualTo(RunStatus.COMPLETED);
        var cloud = w.sim().cloud();
        var green = cloud.stack("cloverdx-6-3").orElseThrow();
        assertThat(cloud.addressTarget("eipalloc-0c10e7d7a6b5c4d3e")).contains(green.resource("AppServer"));
        assertThat(cloud.database(Kind.INSTANCE, green.resource("Database"))
                        .orElseThrow()
                        .restoredFrom())
                .contains(s.step(StepId.of("snapshot-db")).outputs().get("snapshotId"));
        // Downtime: from the pause until the jobs resume, which is as long as the slower snapshot.
        assertThat(s.downtimeStartedAt())
                .contains(s.step(StepId.of("pause-jobs")).startedAt().orElseThrow());
        assertThat(s.downtimeEndedAt())
                .contains(s.step(StepId.of("resume-jobs")).endedAt().orElseThrow());
        // the slower snapshot's 5 minutes, and the few seconds the engine takes to see it done (it polls where the
        // snapshot's reported progress points)
        assertThat(s.downtime(s.updatedAt()).orElseThrow())
                .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(5));
        assertThat(between(s.step(StepId.of("snapshot-db")), s.step(StepId.of("snapshot-disk"))))
                .isLessThanOrEqualTo(Duration.ofMinutes(5));
        // paused and resumed through the old server's own API, once each, around the snapshots
        assertThat(w.sim().cloud().history().stream()
                        .filter(h -> h.kind().equals("http") && h.id().contains("simpleHttpApi"))
                        .map(h -> h.id())
                        .toList())
                .containsExactly(
                        "GET http://cloverdx-6-2.app.example.com/clover/simpleHttpApi/suspend",
                        "GET http://cloverdx-6-2.app.example.com/clover/simpleHttpApi/resume");
        assertThat(cloud.stack("cloverdx-6-2"))
                .as("the old version is retired after a week")
                .isEmpty();
    }

    // ------------------------------------------------------------------------------ 003 OpenBoxes

    @Test
    void openBoxesRehearsesThenStopsBothReimportsAndRoutesDns() {
        SeedWorld w = new SeedWorld();
        assertOpenBoxes(w, OpenBoxesParallelUpgrade.run(w, false));
        assertThat(w.hookLog()).containsExactly("stop-servers");
    }

    @Test
    void openBoxesYamlPlanDoesTheSame() {
        SeedWorld w = new SeedWorld();
        assertOpenBoxes(w, w.run(yaml("003-openboxes.yaml"), OpenBoxesParallelUpgrade.hooks(w), false));
    }

    private static void assertOpenBoxes(SeedWorld w, RunState s) {
        assertThat(s.status()).as("%s", s.failure()).isEqualTo(RunStatus.COMPLETED);
        var cloud = w.sim().cloud();
        assertThat(cloud.stackBehind("openboxes.example.org")).contains("openboxes-green");
        var green = cloud.stack("openboxes-green").orElseThrow();
        // The database green runs on is the second import, taken after both servers stopped.
        assertThat(cloud.database(Kind.INSTANCE, green.resource("Database"))
                        .orElseThrow()
                        .restoredFrom())
                .contains("openboxes-0-9-snap-final-db");
        assertThat(s.step(StepId.of("freeze")).startedAt().orElseThrow())
                .isAfterOrEqualTo(
                        s.step(StepId.of("verify-rehearsal")).endedAt().orElseThrow());
        assertThat(s.downtimeStartedAt())
                .contains(s.step(StepId.of("freeze")).startedAt().orElseThrow());
        assertThat(s.downtimeEndedAt())
                .contains(s.step(StepId.of("switch-dns")).endedAt().orElseThrow());
        assertThat(cloud.stack("openboxes-blue"))
                .as("the old instance is deprovisioned")
                .isEmpty();
    }

    // ------------------------------------------------------------------------------ 004 Code Ocean

    @Test
    void codeOceanUpdatesTheBackupStackThenTheStackInMaintenanceMode() {
        SeedWorld w = new SeedWorld();
        assertCodeOcean(w, CodeOceanStackUpdate.run(w, false));
    }

    @Test
    void codeOceanYamlPlanDoesTheSame() {
        SeedWorld w = new SeedWorld();
        assertCodeOcean(w, w.run(yaml("004-codeocean.yaml"), CodeOceanStackUpdate.hooks(w), false));
    }

    private static void assertCodeOcean(SeedWorld w, RunState s) {
        assertThat(s.status()).as("%s", s.failure()).isEqualTo(RunStatus.COMPLETED);
        var cloud = w.sim().cloud();
        assertThat(cloud.stack("codeocean").orElseThrow().status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(cloud.stack("codeocean").orElseThrow().parameters()).containsEntry("Version", "3.2");
        assertThat(cloud.stack("codeocean-backup").orElseThrow().parameters()).containsEntry("Version", "3.2");
        // the backup stack is updated with the backup stack's template, not the primary's
        assertThat(cloud.stack("codeocean-backup").orElseThrow().resources())
                .containsKeys("BackupVault", "BackupPlan")
                .doesNotContainKey("WebServer");
        assertThat(s.step(StepId.of("update-backup-stack")).endedAt().orElseThrow())
                .isBeforeOrEqualTo(
                        s.step(StepId.of("maintenance-on")).startedAt().orElseThrow());
        assertThat(s.step(StepId.of("update-stack")).outputs().get("preview")).contains("Modify");
        // maintenance mode is the administrator's (the Admin Panel): the backup and the update wait for the
        // gate that says it is on, and the last gate asks that it is off once the update is verified
        assertThat(s.step(StepId.of("maintenance-on")).endedAt().orElseThrow())
                .isBeforeOrEqualTo(s.step(StepId.of("backup-db")).startedAt().orElseThrow());
        assertThat(s.step(StepId.of("maintenance-off")).startedAt().orElseThrow())
                .isAfterOrEqualTo(s.step(StepId.of("verify")).endedAt().orElseThrow());
    }

    @Test
    void codeOceanRefusesToShrinkStorageThatAutoScaledBeforeMaintenanceMode() {
        SeedWorld w = new SeedWorld();
        Plan plan = CodeOceanStackUpdate.plan("100");
        w.sim().seed(plan);
        w.sim().cloud().growStorage(Kind.INSTANCE, "codeocean-database", 240);
        Hooks hooks = CodeOceanStackUpdate.hooks(w);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> w.sim().engine().hooks(hooks).build().start(plan))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining("has grown to 240 GB")
                .hasMessageContaining("set parameter DBAllocatedStorage to 240");
        assertThat(w.sim().cloud().stack("codeocean").orElseThrow().parameters())
                .containsEntry("Version", "3.1");
        assertThat(w.hookLog()).as("maintenance mode never turned on").isEmpty();
    }
}
