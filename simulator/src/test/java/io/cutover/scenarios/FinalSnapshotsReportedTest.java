package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.Scheduler;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.StepId;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.spi.FailureKind;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A decommission that fails still names, in the cutover's report, every final snapshot it took: each is blue's
 * data, and blue may be gone next. The fault campaign found final snapshots nobody was told of when the step
 * failed in the call that took them, or in the first call that saw them after a process died before saving
 * what it learnt (seeds 1987, 2387, 6102 and 9040).
 */
class FinalSnapshotsReportedTest {
    private static final StepId SWITCH = StepId.of("switch-dns");

    @Test
    void aDecommissionRefusedItsVolumeSnapshotStillReportsTheDatabaseSnapshotItTook() {
        Fixture f = new Fixture();
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(SWITCH).status() == StepStatus.SUCCEEDED);
        // The role may not snapshot the volume (a missing ec2:CreateSnapshot): known only once the database's
        // final snapshot was taken, in the same call.
        f.cloud.faults().failNext("CreateSnapshot", FailureKind.ACCESS_DENIED, 1);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(f.cloud.stack("shop-blue")).as("blue is not deleted").isPresent();
        String finalSnapshot = f.blueDb() + "-final-upgrade-2-0";
        assertThat(f.cloud.databaseSnapshots()).extracting(SimSnapshot::id).contains(finalSnapshot);
        assertThat(run.state().reportLines()).anyMatch(l -> l.contains(finalSnapshot));
    }

    @Test
    void aFinalSnapshotThatFailedWhileTheProcessWasDeadIsReported() {
        Fixture f = new Fixture();
        VirtualScheduler.Scope first = f.sim.scheduler().scope();
        // The process dies after the decommission took the volume's final snapshot, before it saved its id.
        BooleanSupplier taken = () -> f.cloud.volumeSnapshots().stream()
                .anyMatch(s -> "decommission".equals(s.tags().get("cutover:step")));
        DiesBeforeSaving store = new DiesBeforeSaving(f.sim.store(), first, taken);
        CutoverRun dying = Engine.builder()
                .cloud(f.cloud)
                .stateStore(store)
                .scheduler(first)
                .hooks(f.hooks)
                .build()
                .start(f.plan());
        f.runUntil(() -> dying.state().step(SWITCH).status() == StepStatus.SUCCEEDED);
        f.cloud.faults().snapshotFails(f.env.volumes().get(0));
        f.runUntil(() -> store.died || dying.settled().isDone());
        assertThat(store.died).as("the process died").isTrue();
        // Nobody runs the cutover for a while: the snapshot has failed by the time a new process looks.
        f.sim.scheduler().runFor(Duration.ofMinutes(30));
        CutoverRun resumed = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .build()
                .resume("upgrade-2-0");
        f.sim.runUntilSettled(resumed);

        assertThat(resumed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(f.cloud.stack("shop-blue")).as("blue is not deleted").isPresent();
        List<String> finalSnapshots = f.cloud.volumeSnapshots().stream()
                .filter(s -> "decommission".equals(s.tags().get("cutover:step")))
                .map(s -> s.id())
                .toList();
        assertThat(finalSnapshots).hasSize(1);
        assertThat(resumed.state().reportLines()).anyMatch(l -> l.contains(finalSnapshots.get(0)));
        assertThat(resumed.state().reportLines()).anyMatch(l -> l.contains(f.blueDb() + "-final-upgrade-2-0"));
    }

    /**
     * The machine's clock runs two minutes ahead of the cloud's (seeds 1987 and 2387: 98 s and 62 s, past the
     * minute the step allows between the two): the decommission still takes its own final snapshot for final,
     * though the cloud dates it before the step started, and retires blue.
     */
    @Test
    void aClockAheadOfTheCloudsDoesNotMakeTheStepRefuseItsOwnFinalSnapshot() {
        Fixture f = new Fixture();
        VirtualScheduler.Scope process = f.sim.scheduler().scope();
        Scheduler ahead = new Scheduler() {
            @Override
            public Instant now() {
                return process.now().plus(Duration.ofMinutes(2));
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                return process.schedule(delay, task);
            }
        };
        CutoverRun run = f.sim.engine(ahead).hooks(f.hooks).build().start(f.plan());
        f.sim.runUntilSettled(run);

        assertThat(run.status()).as(run.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stack("shop-blue")).as("blue is deleted").isEmpty();
        String finalSnapshot = f.blueDb() + "-final-upgrade-2-0";
        assertThat(run.state().reportLines()).anyMatch(l -> l.contains(finalSnapshot));
    }

    /** A state store whose process dies just before the first save once {@code when} holds. */
    private static final class DiesBeforeSaving implements StateStore {
        private final StateStore inner;
        private final VirtualScheduler.Scope process;
        private final BooleanSupplier when;
        volatile boolean died;

        DiesBeforeSaving(StateStore inner, VirtualScheduler.Scope process, BooleanSupplier when) {
            this.inner = inner;
            this.process = process;
            this.when = when;
        }

        @Override
        public RunState commit(RunState next) {
            if (when.getAsBoolean()) {
                died = true;
                process.kill();
                throw new CrashAndResumeTest.ProcessDied();
            }
            return inner.commit(next);
        }

        @Override
        public RunState create(RunState initial) {
            return inner.create(initial);
        }

        @Override
        public Optional<RunState> load(String runId) {
            return inner.load(runId);
        }

        @Override
        public Optional<EnvironmentLock> lock(String environment) {
            return inner.lock(environment);
        }

        @Override
        public void release(String environment, String runId) {
            inner.release(environment, runId);
        }

        @Override
        public List<String> runIds() {
            return inner.runIds();
        }
    }
}
