package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan file's hooks as the command-line tool runs them: with the run's values, in the plan's folder. */
class ShellHooksTest {
    @TempDir
    Path dir;

    private static final String PLAN = """
            id: hooks-1
            environment:
              name: shop
              stack: shop-blue
              databases:
                - {kind: instance, id: shop-db}
            hooks:
              backup:
                run: >-
                  echo "snapshot ${snap.snapshotId} of ${plan.id} on ${blue.stack} as $CUTOVER_OUTPUT_SNAP_snapshotId"
                  > seen.txt; echo "token $TOKEN" >> seen.txt; echo "dir $(pwd)" >> seen.txt;
                  echo 'quoted ${snap.snapshotId}' >> seen.txt; echo "home ${HOME:+set}" >> seen.txt
                env: {TOKEN: "${secret:vendor-api#token}"}
            steps:
              - {kind: snapshot-database, id: snap, database: {kind: instance, id: shop-db}}
              - {kind: hook, id: backup, hook: backup, dependsOn: [snap]}
            """;

    private PlanFile write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return PlanFiles.load(p);
    }

    @Test
    void aHookSeesTheRunsValuesInItsCommandAndEnvironmentAndRunsInThePlansFolder() throws Exception {
        PlanFile file = write("plan.yaml", PLAN);
        CloudSimulation sim = CloudSimulation.create();
        sim.seed(file.plan());
        List<String> output = new CopyOnWriteArrayList<>();
        var run = sim.engine()
                .hooks(ShellHooks.from(file, output::add))
                .secrets((id, key) -> id.equals("vendor-api") && key.orElse("").equals("token") ? "s3cr3t-tok" : "?")
                .withoutLogging()
                .build()
                .start(file.plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).as("%s", output).isEqualTo(RunStatus.COMPLETED);
        String snapshot =
                run.state().step(io.cutover.plan.StepId.of("snap")).outputs().get("snapshotId");
        assertThat(snapshot).isNotBlank();
        assertThat(Files.readAllLines(dir.resolve("seen.txt")))
                .containsExactly(
                        "snapshot " + snapshot + " of hooks-1 on shop-blue as " + snapshot,
                        "token s3cr3t-tok",
                        "dir " + dir.toRealPath(),
                        "quoted " + snapshot,
                        "home set");
    }

    @Test
    void aSecretOnAHooksCommandLineIsRefusedWithTheFix() throws Exception {
        Path p = dir.resolve("plan.yaml");
        Files.writeString(p, PLAN.replace("echo \"token $TOKEN\"", "echo \"token ${secret:vendor-api#token}\""));

        String[] r = BadPlanCorpusTest.run("plan", p.toString());

        assertThat(r[0]).isEqualTo(String.valueOf(ExitCodes.INVALID));
        assertThat(r[2])
                .contains("hooks.backup.run")
                .contains("${secret:vendor-api#token} is a secret")
                .contains("pass it through the hook's env");
    }

    @Test
    void aHookCommandNamingAnOutputOfAStepItDoesNotFollowIsRefused() throws Exception {
        Path p = dir.resolve("plan.yaml");
        Files.writeString(p, PLAN.replace(", dependsOn: [snap]", ""));

        String[] r = BadPlanCorpusTest.run("plan", p.toString());

        assertThat(r[0]).isEqualTo(String.valueOf(ExitCodes.INVALID));
        assertThat(r[2])
                .contains("hooks.backup.run")
                .contains("(run by step 'backup') ${snap.snapshotId} is an output of 'snap', which this step does not"
                        + " depend on; add it to dependsOn");
    }
}
