package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.engine.CutoverRun;
import io.cutover.plan.StepId;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Ctrl-C or SIGTERM mid-cutover: the engine stops where it is, saved, and a resume finishes the job. */
class StopTest {
    private final Fixture f = new Fixture();

    @Test
    void aCutoverStoppedWhileGreensStackIsBuiltMakesNoFurtherCallAndResumesWithNothingCreatedTwice() {
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("clone")).status() == StepStatus.RUNNING);

        RunState saved = run.stop(Duration.ofSeconds(10));
        Map<String, Integer> callsAtStop = new TreeMap<>(f.cloud.calls());
        f.sim.scheduler().runFor(Duration.ofHours(2));

        assertThat(new TreeMap<>(f.cloud.calls())).as("calls after the stop").isEqualTo(callsAtStop);
        assertThat(f.sim.store().load(run.id()).orElseThrow().version()).isEqualTo(saved.version());
        assertThat(saved.status()).isEqualTo(RunStatus.RUNNING);
        assertThatThrownBy(() -> run.settled().join())
                .hasMessageContaining("was stopped by its operator")
                .hasMessageContaining("resume it with: cutover resume upgrade-2-0");

        CutoverRun resumed = f.engine().resume(run.id());
        f.sim.runUntilSettled(resumed);
        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.calls().get("CreateStack"))
                .as("green's stack created once")
                .isEqualTo(1);
    }
}
