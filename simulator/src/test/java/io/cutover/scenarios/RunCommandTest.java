package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.RunCommand;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.FailureKind;
import io.cutover.state.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Scripts on blue's instance through Run Command, as a vendor's procedure has them: stop the service, back up the
 * files the installer overwrites, start it again, check it; on the simulated instances, so that a rehearsal
 * shows the order and fails where the real machine would.
 */
class RunCommandTest {
    private final Fixture f = new Fixture();

    private static RunCommand onBlue(String id, String script, Optional<String> undo, String... after) {
        return new RunCommand(
                StepId.of(id),
                List.of(after).stream().map(StepId::of).toList(),
                List.of(),
                Map.of("aws:cloudformation:stack-name", "${blue.stack}"),
                StepSpec.Shell.SHELL,
                script,
                undo,
                null,
                null,
                null);
    }

    private Plan plan(boolean startBeforeCheck) {
        List<StepSpec> steps = new ArrayList<>();
        steps.add(onBlue("stop-app", "systemctl stop shop-app", Optional.of("systemctl start shop-app")));
        steps.add(onBlue(
                "backup",
                "cp /etc/shop/app.yml /backup/app.yml\ntest -f /backup/app.yml",
                Optional.empty(),
                "stop-app"));
        if (startBeforeCheck) {
            steps.add(onBlue("start-app", "systemctl start shop-app", Optional.empty(), "backup"));
        }
        steps.add(onBlue(
                "check",
                "systemctl is-active shop-app\necho checked",
                Optional.empty(),
                startBeforeCheck ? "start-app" : "backup"));
        return new Plan("machines-1", f.env, steps);
    }

    private String blueInstance() {
        return f.cloud.stack("shop-blue").orElseThrow().resources().values().stream()
                .filter(p -> p.startsWith("i-"))
                .findFirst()
                .orElseThrow();
    }

    private List<String> onInstance(String instance) {
        return f.cloud.history().stream()
                .filter(h -> h.kind().equals("instance") && h.id().equals(instance))
                .map(SimulatedCloud.Happening::what)
                .toList();
    }

    @Test
    void theServiceIsStoppedBeforeTheBackupAndStartedBeforeTheCheck() {
        CutoverRun run = f.runToEnd(plan(true));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(onInstance(blueInstance()))
                .containsExactly(
                        "systemctl stop shop-app",
                        "cp /etc/shop/app.yml /backup/app.yml",
                        "test -f /backup/app.yml",
                        "systemctl start shop-app",
                        "systemctl is-active shop-app",
                        "echo checked");
        assertThat(f.cloud.machine(blueInstance()).files()).contains("/backup/app.yml");
        assertThat(f.cloud.machine(blueInstance()).stoppedServices()).isEmpty();
        var check = run.state().step(StepId.of("check"));
        assertThat(check.outputs())
                .containsEntry("exitCode", "0")
                .containsEntry("output", "active\nchecked\n")
                .containsEntry("instances", blueInstance());
    }

    @Test
    void aCheckOnAStoppedServiceFailsAndTheUndoStartsItAgain() {
        CutoverRun run = f.runToEnd(plan(false));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("check")).error().orElseThrow())
                .contains("script exited 3 on " + blueInstance())
                .contains("it printed: inactive");
        assertThat(onInstance(blueInstance()))
                .containsExactly(
                        "systemctl stop shop-app",
                        "cp /etc/shop/app.yml /backup/app.yml",
                        "test -f /backup/app.yml",
                        "systemctl is-active shop-app (exit 3)",
                        "systemctl start shop-app");
        assertThat(f.cloud.machine(blueInstance()).stoppedServices()).isEmpty();
    }

    @Test
    void aSendWhoseAnswerIsLostIsFoundAgainAndNeverSentTwice() {
        f.cloud.faults().loseAnswers("SendCommand", 2);

        CutoverRun run = f.runToEnd(plan(true));

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.calls()).containsEntry("SendCommand", 4);
        assertThat(onInstance(blueInstance()))
                .filteredOn(s -> s.equals("systemctl stop shop-app"))
                .hasSize(1);
    }

    @Test
    void aScriptOnAnInstanceThatIsNotThereFailsTheStep() {
        Plan p = new Plan(
                "machines-2",
                f.env,
                List.of(new RunCommand(
                        StepId.of("stop"),
                        List.of(),
                        List.of("i-0000000000000dead"),
                        Map.of(),
                        null,
                        "systemctl stop x",
                        Optional.empty(),
                        null,
                        null,
                        null)));
        CutoverRun run = f.runToEnd(p);

        assertThat(run.status()).isNotEqualTo(RunStatus.COMPLETED);
        assertThat(run.state().step(StepId.of("stop")).error().orElseThrow()).contains("i-0000000000000dead");
        assertThat(FailureKind.INVALID_REQUEST.retryable()).isFalse();
    }
}
