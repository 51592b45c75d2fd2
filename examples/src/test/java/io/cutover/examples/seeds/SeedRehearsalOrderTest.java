package io.cutover.examples.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.StepId;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each example plan file rehearsed as {@code cutover run --simulate} rehearses it (hooks succeed, gates are
 * approved): what it does on the simulated machines (scripts, statement by statement, and admin API calls),
 * in the vendor's order.
 */
class SeedRehearsalOrderTest {
    /** A rehearsal of a plan file: its end state, and what happened on machines, in order, with its time. */
    record Rehearsal(RunState state, List<SimulatedCloud.Happening> machines) {
        /** Each statement a script ran on an instance; each admin API call as its method and URL. */
        List<String> statements() {
            return machines.stream().map(Rehearsal::statement).toList();
        }

        static String statement(SimulatedCloud.Happening h) {
            return h.kind().equals("http") ? h.id() : h.what();
        }

        Instant at(String statement) {
            return machines.stream()
                    .filter(h -> statement(h).equals(statement))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + statement + "' in " + statements()))
                    .at();
        }
    }

    static Rehearsal rehearse(String file) {
        PlanFile plan = PlanFiles.load(Path.of("plans", file));
        Hooks.Builder hooks = Hooks.builder();
        plan.hooks().keySet().forEach(h -> hooks.hook(h, ctx -> StepOutcome.Done.of()));
        plan.checks().keySet().forEach(c -> hooks.check(c, ctx -> Hooks.CheckResult.healthy()));
        SeedWorld w = new SeedWorld();
        RunState s = w.run(plan.plan(), hooks.build(), false);
        List<SimulatedCloud.Happening> machines = w.sim().cloud().history().stream()
                .filter(h -> h.kind().equals("instance") || h.kind().equals("http"))
                .toList();
        return new Rehearsal(s, machines);
    }

    // ------------------------------------------------------------------------------ 000 CloudShell

    @Test
    void cloudShellStopsTheServiceBacksUpUpgradesStartsItThenVerifiesThePortal() {
        for (String file : List.of("000-cloudshell-validation.yaml", "000-cloudshell-production.yaml")) {
            Rehearsal r = rehearse(file);

            assertThat(r.state().status()).as(file).isEqualTo(RunStatus.COMPLETED);
            assertThat(r.statements())
                    .as(file)
                    .startsWith("Stop-Service QsServerService")
                    .containsSubsequence(
                            "Stop-Service QsServerService",
                            "Copy-Item 'C:\\Program Files (x86)\\QualiSystems\\CloudShell\\SandboxApiGateway\\conf"
                                    + "\\httpd.conf' 'D:\\backup\\httpd.conf'",
                            "if (-not (Test-Path 'D:\\backup\\httpd.conf')) { exit 1 }",
                            "Start-Service QsServerService",
                            "if ((Get-Service QsServerService).Status -ne 'Running') { exit 1 }",
                            "Copy-Item 'D:\\backup\\httpd.conf' 'C:\\Program Files (x86)\\QualiSystems\\CloudShell"
                                    + "\\SandboxApiGateway\\conf\\httpd.conf'");
            // the installer runs while the service is stopped, and the portal is verified once it runs again
            Instant installed =
                    r.state().step(StepId.of("run-installer")).endedAt().orElseThrow();
            assertThat(r.at("Stop-Service QsServerService")).isBefore(installed);
            assertThat(r.at("Start-Service QsServerService"))
                    .isAfterOrEqualTo(installed)
                    .isBeforeOrEqualTo(
                            r.state().step(StepId.of("verify")).startedAt().orElseThrow());
        }
    }

    @Test
    void cloudShellsUpgradePathRulesAreTheProgramThePlanRuns() throws Exception {
        // the hook's command, as the command-line tool runs it: in the plan file's folder
        for (String[] c : new String[][] {
            {"'2022.2 GA' '2023.3 GA'", "0", "supported; a new licence is needed"},
            {"'2023.3 GA' '2022.2 GA'", "1", "refused: 2022.2 GA is older than 2023.3 GA"},
            {"'5.4 GA' '2023.3 GA'", "1", "refused: upgrades are supported from 6.x GA or later"},
            {"'2023.1 patch 1' '2023.1 patch 3'", "1", "on its GA version only"}
        }) {
            String command = PlanFiles.load(Path.of("plans", "000-cloudshell-production.yaml"))
                    .hooks()
                    .get("check-upgrade-path")
                    .run()
                    .replace("'2022.2 GA' '2023.3 GA'", c[0]);
            Process p = new ProcessBuilder("sh", "-c", command)
                    .directory(Path.of("plans").toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isEqualTo(Integer.parseInt(c[1]));
            assertThat(out).contains(c[2]);
        }
    }

    // ------------------------------------------------------------------------------ 003 OpenBoxes

    @Test
    void openBoxesCopiesTheConfigStartsTheNewServerThenStopsBothBeforeTheFreshBackup() {
        Rehearsal r = rehearse("003-openboxes.yaml");

        assertThat(r.state().status()).as("%s", r.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.statements())
                .containsExactly(
                        "cp /usr/share/tomcat/.grails/openboxes.yml /mnt/openboxes-shared/openboxes.yml",
                        "test -f /mnt/openboxes-shared/openboxes.yml",
                        "cp /mnt/openboxes-shared/openboxes.yml /usr/share/tomcat/.grails/openboxes.yml",
                        "test -f /usr/share/tomcat/.grails/openboxes.yml",
                        "systemctl restart tomcat",
                        "systemctl is-active tomcat",
                        "systemctl stop tomcat",
                        "systemctl stop tomcat",
                        "systemctl start tomcat",
                        "systemctl is-active tomcat");
        // both servers are down, the old and the new, before the fresh backup is taken
        List<String> stopped = r.machines().stream()
                .filter(h -> h.what().equals("systemctl stop tomcat"))
                .map(SimulatedCloud.Happening::id)
                .distinct()
                .toList();
        String blue = r.machines().get(0).id();
        assertThat(stopped).hasSize(2).contains(blue);
        assertThat(r.at("systemctl stop tomcat"))
                .isBeforeOrEqualTo(
                        r.state().step(StepId.of("snap-final-db")).startedAt().orElseThrow());
        assertThat(r.state().downtimeStartedAt())
                .contains(r.state().step(StepId.of("freeze")).startedAt().orElseThrow());
    }

    // ------------------------------------------------------------------------------ 002 CloverDX

    @Test
    void cloverDxSuspendsTheOldServerForTheSnapshotsOnlyResumesItThenDeploysTheNewOne() {
        Rehearsal r = rehearse("002-cloverdx.yaml");

        assertThat(r.state().status()).as("%s", r.state().failure()).isEqualTo(RunStatus.COMPLETED);
        // on the old server (blue's host), through its own API, once each
        String suspend = "GET http://cloverdx-6-2.app.example.com/clover/simpleHttpApi/suspend";
        String resume = "GET http://cloverdx-6-2.app.example.com/clover/simpleHttpApi/resume";
        assertThat(r.statements().stream().filter(s -> s.contains("simpleHttpApi")))
                .containsExactly(suspend, resume);
        // 1. pause, 2-3. both snapshots, 4. resume, 5. deploy the new version from them
        for (String snapshot : List.of("snapshot-db", "snapshot-disk")) {
            assertThat(r.at(suspend))
                    .isBeforeOrEqualTo(
                            r.state().step(StepId.of(snapshot)).startedAt().orElseThrow());
            assertThat(r.at(resume))
                    .isAfterOrEqualTo(
                            r.state().step(StepId.of(snapshot)).endedAt().orElseThrow());
        }
        assertThat(r.at(resume))
                .isBeforeOrEqualTo(
                        r.state().step(StepId.of("deploy-new")).startedAt().orElseThrow());
        assertThat(r.state().downtimeStartedAt()).contains(r.at(suspend));
        assertThat(r.state().downtimeEndedAt()).contains(r.at(resume));
    }

    // ------------------------------------------------------------------------------ 004 Code Ocean

    @Test
    void codeOceanUpdatesTheBackupStackThenTheStackBetweenTheMaintenanceModeGates() {
        Rehearsal r = rehearse("004-codeocean.yaml");

        assertThat(r.state().status()).as("%s", r.state().failure()).isEqualTo(RunStatus.COMPLETED);
        // maintenance mode is the Admin Panel's (no API): no script runs on Code Ocean's instances
        assertThat(r.machines()).noneMatch(h -> h.kind().equals("instance"));
        List<String> order = List.of(
                "update-backup-stack", "maintenance-on", "backup-db", "update-stack", "verify", "maintenance-off");
        for (int i = 1; i < order.size(); i++) {
            assertThat(r.state().step(StepId.of(order.get(i))).startedAt().orElseThrow())
                    .as("%s after %s", order.get(i), order.get(i - 1))
                    .isAfterOrEqualTo(r.state()
                            .step(StepId.of(order.get(i - 1)))
                            .endedAt()
                            .orElseThrow());
        }
        // the users' downtime is maintenance mode: from the gate that turns it on to the one that sees it off
        assertThat(r.state().downtimeStartedAt())
                .as("downtime opened by maintenance-on")
                .isEqualTo(r.state().step(StepId.of("maintenance-on")).startedAt());
        assertThat(r.state().downtimeEndedAt())
                .as("downtime closed by maintenance-off")
                .isEqualTo(r.state().step(StepId.of("maintenance-off")).endedAt());
    }

    // ------------------------------------------------------------------------------ 001 QHub

    @Test
    void qhubsPreventDeployIsRemovedFromTheConfigFileOnlyByItsHookAndPutBackByItsUndo(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        var hooks = PlanFiles.load(Path.of("plans", "001-qhub.yaml")).hooks();
        Path config = java.nio.file.Files.createDirectories(dir.resolve("qhub")).resolve("qhub-config.yaml");
        // as qhub upgrade leaves it
        java.nio.file.Files.writeString(
                config, "project_name: myqhub\nprevent_deploy: true\ndomain: qhub.example.com\n");

        assertThat(sh(hooks.get("allow-deploy").run(), dir)).isZero();
        assertThat(java.nio.file.Files.readString(config))
                .isEqualTo("project_name: myqhub\ndomain: qhub.example.com\n");
        assertThat(sh(hooks.get("prevent-deploy-again").run(), dir)).isZero();
        assertThat(sh(hooks.get("prevent-deploy-again").run(), dir)).isZero();
        assertThat(java.nio.file.Files.readString(config))
                .isEqualTo("project_name: myqhub\ndomain: qhub.example.com\nprevent_deploy: true\n");
    }

    /** A hook's command as the command-line tool runs it, in {@code dir}: its exit status. */
    static int sh(String command, Path dir) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
