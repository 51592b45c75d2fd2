package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutover fleet run --simulate}: a whole fleet rehearsed, and bad fleet files refused. */
class FleetCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private Result cutover(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private Path files(String environments) throws Exception {
        return files(dir, environments);
    }

    /** A fleet file and its plan (two hooks on each environment's stack) in {@code dir}. */
    static Path files(Path dir, String environments) throws Exception {
        Files.writeString(dir.resolve("upgrade.yaml"), """
        id: up
        environment: {name: "${fleet.environment}", stack: "${fleet.environment}-blue"}
        hooks:
          maintenance-on: {run: "echo on"}
          maintenance-off: {run: "echo off"}
        steps:
          - {kind: hook, id: maintenance-on, hook: maintenance-on, undo: maintenance-off}
          - {kind: hook, id: maintenance-off, hook: maintenance-off, dependsOn: [maintenance-on]}
        """);
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(
                fleet, "id: shop-2-0\nplan: upgrade.yaml\nwaves: [1, 2, rest]\nenvironments:\n" + environments);
        return fleet;
    }

    @Test
    void aSimulatedFleetRunsEveryEnvironmentWaveByWaveAndSummarises() throws Exception {
        Path fleet =
                files("  - name: acme\n  - name: globex\n  - name: initech\n  - name: umbrella\n  - name: hooli\n");

        Result r = cutover("fleet", "run", "--simulate", fleet.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Rehearsing fleet shop-2-0 (5 environments, waves [1, 2, 2])")
                .contains(
                        "fleet shop-2-0: 5 done, 0 running, 0 failed, 0 rolled back, 0 waiting at a gate, 0 not started")
                .containsPattern("wave 1 +acme +done");
    }

    @Test
    void aFleetFileNamingAnEnvironmentTwiceIsRefusedAndNothingRuns() throws Exception {
        Path fleet = files("  - name: acme\n  - name: globex\n  - name: acme\n  - name: hooli\n");

        Result r = cutover("fleet", "run", "--simulate", fleet.toString());

        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err())
                .contains("nothing was started")
                .contains("fleet.yaml:7:5: environments[2].name: environment " + "'acme' is listed twice");
        assertThat(r.out()).doesNotContain("Rehearsing");
    }

    @Test
    void aFleetVariableReachesAHookCommandAsDataAndNothingInItRuns() throws Exception {
        Files.writeString(dir.resolve("upgrade.yaml"), """
        id: up
        environment: {name: "${fleet.environment}", stack: "${fleet.environment}-blue"}
        hooks:
          say: {run: "echo ${fleet.note}"}
        steps:
          - {kind: hook, id: say, hook: say}
        """);
        String note = "x; touch " + dir.resolve("pwned1") + "; echo $(touch " + dir.resolve("pwned2") + ") #";
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(
                fleet,
                "id: f\nplan: upgrade.yaml\nenvironments:\n  - name: acme\n    variables:\n      note: |-\n        "
                        + note + "\n");
        var file = io.cutover.fleet.FleetFiles.load(fleet)
                .environment("acme")
                .orElseThrow()
                .planFile();
        io.cutover.simulator.CloudSimulation sim = io.cutover.simulator.CloudSimulation.create();
        sim.seed(file.plan());
        java.util.List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();
        var run = sim.engine()
                .hooks(ShellHooks.from(file, output::add)) // as `cutover fleet run` runs hooks
                .withoutLogging()
                .build()
                .start(file.plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(io.cutover.state.RunStatus.COMPLETED);
        assertThat(output).containsExactly("  say| " + note);
        assertThat(dir.resolve("pwned1")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
    }
}
