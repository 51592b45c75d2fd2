package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.FileStateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** init, help, completion, and status --watch. */
class CommandsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"parallel-upgrade", "in-place-update"})
    void initWritesAPlanThatPlanAccepts(String strategy) throws Exception {
        Path file = dir.resolve(strategy + ".yaml");
        String[] init = run("init", "--strategy", strategy, file.toString());
        assertThat(init[0]).as(init[2]).isEqualTo("0");

        String[] plan = run("plan", file.toString());
        assertThat(plan[0]).as(plan[2]).isEqualTo("0");
        assertThat(plan[1]).contains(strategy.equals("parallel-upgrade") ? "switch-dns" : "update-stack");

        String[] again = run("init", "--strategy", strategy, file.toString());
        assertThat(again[0]).as("an existing file is kept").isEqualTo("2");
        assertThat(again[2]).contains("exists").contains("--force");
        assertThat(run("init", "--strategy", strategy, "--force", file.toString())[0])
                .isEqualTo("0");
    }

    @Test
    void initRefusesAStrategyItDoesNotKnow() {
        String[] r = run("init", "--strategy", "big-bang", dir.resolve("x.yaml").toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("'big-bang' is not a strategy; choose parallel-upgrade or in-place-update");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void helpNamesEveryCommandAndHelpOfACommandShowsItsOptions() {
        String[] all = run("help");
        assertThat(all[0]).isEqualTo("0");
        assertThat(all[1]).contains("init", "plan", "run", "status", "report", "fleet", "completion");
        String[] status = run("help", "status");
        assertThat(status[1]).contains("--watch").contains("--output");
    }

    @Test
    void theBashCompletionScriptCompletesCommandsInBash() throws Exception {
        String[] r = run("completion", "bash");
        assertThat(r[0]).isEqualTo("0");
        Path script = dir.resolve("cutover.bash");
        Files.writeString(script, r[1]);
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source " + script + "; COMP_WORDS=(cutover rep); COMP_CWORD=1; COMP_LINE='cutover rep';"
                                + " COMP_POINT=11; _picocli_cutover; echo \"${COMPREPLY[@]}\";"
                                + " COMP_WORDS=(cutover init --strategy ''); COMP_CWORD=3;"
                                + " COMP_LINE='cutover init --strategy '; COMP_POINT=24; _picocli_cutover;"
                                + " echo \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().toList()).startsWith("report");
        assertThat(run("completion", "zsh")[1]).isEqualTo(r[1]).contains("ZSH_VERSION");
    }

    @Test
    void statusWatchFollowsACutoverDrivenElsewhereUntilItWaitsAtAGate() throws Exception {
        // the CloverDX rehearsal runs in virtual time on the same scheduler as the watcher: the watcher reads
        // the state directory every 30 s of virtual time while the engine moves the cutover on
        Path state = dir.resolve("state");
        var file = PlanFiles.load(JsonOutputTest.PLANS.resolve("002-cloverdx.yaml"));
        CloudSimulation sim = CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), FileStateStore.in(state));
        sim.seed(file.plan());
        var hooks = io.cutover.step.Hooks.builder();
        file.hooks().keySet().forEach(h -> hooks.hook(h, ctx -> io.cutover.step.StepOutcome.Done.of()));
        var engine = sim.engine()
                .hooks(hooks.build())
                .secrets((id, key) -> "simulated-secret-value") // the CloverDX API's credentials
                .withoutLogging()
                .build();
        engine.start(file.plan());
        sim.scheduler().runFor(java.time.Duration.ofMinutes(2));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Console console =
                Console.withScheduler(new PrintWriter(out, true), new PrintWriter(err, true), sim.scheduler());
        int exit = Main.execute(
                new String[] {"status", "clover-6-3", "--watch", "--interval", "30s", "--state-dir", state.toString()},
                console);

        assertThat(exit).as(out + "" + err).isEqualTo(ExitCodes.WAITING);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("following clover-6-3 (RUNNING)");
        assertThat(lines).anyMatch(l -> l.matches("\\[\\+\\d\\d:\\d\\d:\\d\\d] snapshot-db: .*-> SUCCEEDED.*"));
        assertThat(lines).anyMatch(l -> l.endsWith("cutover clover-6-3: RUNNING -> WAITING"));
        assertThat(out.toString()).contains("waiting at gate 'activate'");
    }
}
