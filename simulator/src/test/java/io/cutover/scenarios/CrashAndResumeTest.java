package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.state.EnvironmentLock;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's process dies at every step boundary in turn (every save in which a step changed status),
 * either just before the save or just after it; a new engine resumes from the stored state. Every time,
 * the cutover finishes, and nothing in the cloud was created twice.
 */
class CrashAndResumeTest {
    /** The death of the process: unwinds whatever it was doing; its scheduled work is dropped. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("process died", null, false, false);
        }
    }

    /**
     * A state store that kills its process at the N-th boundary: by default a save that changes the run's or a
     * step's status; or the saves {@code isBoundary} (the stored state, the state about to be saved) picks.
     */
    static final class DyingStore implements StateStore {
        final StateStore inner;
        final VirtualScheduler.Scope process;
        final int dieAt;
        final boolean beforeSave;
        final java.util.function.BiPredicate<RunState, RunState> isBoundary;
        final AtomicBoolean died = new AtomicBoolean();
        int boundaries;

        DyingStore(StateStore inner, VirtualScheduler.Scope process, int dieAt, boolean beforeSave) {
            this(inner, process, dieAt, beforeSave, DyingStore::statusChanged);
        }

        DyingStore(
                StateStore inner,
                VirtualScheduler.Scope process,
                int dieAt,
                boolean beforeSave,
                java.util.function.BiPredicate<RunState, RunState> isBoundary) {
            this.inner = inner;
            this.process = process;
            this.dieAt = dieAt;
            this.beforeSave = beforeSave;
            this.isBoundary = isBoundary;
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
        public RunState commit(RunState next) {
            boolean boundary = isBoundary.test(inner.load(next.runId()).orElseThrow(), next);
            if (boundary && ++boundaries == dieAt && beforeSave) {
                die();
            }
            RunState saved = inner.commit(next);
            if (boundary && boundaries == dieAt) {
                die();
            }
            return saved;
        }

        /** The saves that change one step's status or memo: every change inside that step. */
        static java.util.function.BiPredicate<RunState, RunState> stepChanged(String step) {
            io.cutover.plan.StepId id = io.cutover.plan.StepId.of(step);
            return (stored, next) -> stored.step(id).status() != next.step(id).status()
                    || !stored.step(id).memo().equals(next.step(id).memo());
        }

        private static boolean statusChanged(RunState stored, RunState next) {
            return stored.status() != next.status()
                    || next.steps().entrySet().stream()
                            .anyMatch(e -> stored.steps().get(e.getKey()).status()
                                    != e.getValue().status());
        }

        private void die() {
            died.set(true);
            process.kill();
            throw new ProcessDied();
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

    /** The step boundaries of an undisturbed run of the fixture's plan, which must end {@code expected}. */
    static int boundaries(Fixture f, RunStatus expected) {
        VirtualScheduler.Scope p = f.sim.scheduler().scope();
        DyingStore counter = new DyingStore(f.sim.store(), p, Integer.MAX_VALUE, false);
        CutoverRun run = Engine.builder()
                .cloud(f.cloud)
                .stateStore(counter)
                .scheduler(p)
                .hooks(f.hooks)
                .build()
                .start(f.plan());
        f.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(expected);
        return counter.boundaries;
    }

    /** A death at every one of {@code n} boundaries, before and after its save. */
    static Stream<Arguments> everyDeath(int n) {
        return IntStream.rangeClosed(1, n)
                .boxed()
                .flatMap(i -> Stream.of(Arguments.of(i, true), Arguments.of(i, false)));
    }

    static Stream<Arguments> deaths() {
        return everyDeath(boundaries(new Fixture(), RunStatus.COMPLETED));
    }

    /**
     * Runs the fixture's plan in a process that dies at boundary {@code dieAt}, then has a new engine resume
     * it; returns the resumed run once it settled.
     */
    static CutoverRun dieThenResume(Fixture f, int dieAt, boolean beforeSave) {
        VirtualScheduler.Scope first = f.sim.scheduler().scope();
        DyingStore dying = new DyingStore(f.sim.store(), first, dieAt, beforeSave);
        try {
            CutoverRun run = Engine.builder()
                    .cloud(f.cloud)
                    .stateStore(dying)
                    .scheduler(first)
                    .hooks(f.hooks)
                    .build()
                    .start(f.plan());
            f.runUntil(() -> dying.died.get() || run.settled().isDone());
        } catch (ProcessDied expected) {
            // died inside start(): the caller sees the process end
        }
        assertThat(dying.died).as("the process died").isTrue();
        CutoverRun resumed = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .build()
                .resume("upgrade-2-0");
        f.sim.runUntilSettled(resumed);
        return resumed;
    }

    @ParameterizedTest(name = "dies at step boundary {0}, before its save: {1}")
    @MethodSource("deaths")
    void aNewEngineResumesAndFinishesWithNothingCreatedTwice(int dieAt, boolean beforeSave) {
        Fixture f = new Fixture();
        CutoverRun resumed = dieThenResume(f, dieAt, beforeSave);
        RunState end = resumed.state();

        assertThat(end.status()).as(describe(end)).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.allStacks()).extracting(s -> s.name()).containsExactly("shop-green");
        String greenDb = f.cloud.stack("shop-green").orElseThrow().resource("Database");
        assertThat(f.cloud.allDatabases()).extracting(d -> d.id()).containsExactly(greenDb);
        assertThat(f.cloud.database(Kind.INSTANCE, greenDb).orElseThrow().dataVersion())
                .isEqualTo(f.lastWrite.get());
        // One snapshot per snapshot step and one final snapshot of each database and volume: none twice.
        Map<String, Long> volumeSnapshotsByStep = f.cloud.volumeSnapshots().stream()
                .collect(Collectors.groupingBy(s -> s.tags().get("cutover:step"), Collectors.counting()));
        assertThat(volumeSnapshotsByStep)
                .containsOnly(
                        Map.entry("snap-rehearsal-vol", 1L),
                        Map.entry("snap-final-vol", 1L),
                        Map.entry("decommission", 1L));
        assertThat(f.cloud.databaseSnapshots())
                .extracting(SimSnapshot::id)
                .containsExactlyInAnyOrder(
                        "upgrade-2-0-snap-rehearsal-db",
                        "upgrade-2-0-snap-final-db",
                        f.blueDb() + "-final-upgrade-2-0");
        assertThat(f.cloud.databaseSnapshots())
                .filteredOn(s -> s.id().endsWith("-final-upgrade-2-0"))
                .singleElement()
                .satisfies(s -> assertThat(s.dataVersion()).isEqualTo(f.lastWrite.get()));
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
        assertThat(f.sim.store().lock("shop-prod")).isEmpty();
    }

    static Stream<Arguments> deathsDuringARollback() {
        Fixture f = new Fixture();
        f.cloud.faults().unhealthy("shop-green");
        return everyDeath(boundaries(f, RunStatus.ROLLED_BACK));
    }

    /** Regression: a process that died between saving a failed step and starting the rollback hung the run. */
    @ParameterizedTest(name = "green fails; dies at step boundary {0}, before its save: {1}")
    @MethodSource("deathsDuringARollback")
    void aRollbackInterruptedByADeathIsFinishedByTheNextEngine(int dieAt, boolean beforeSave) {
        Fixture f = new Fixture();
        f.cloud.faults().unhealthy("shop-green");
        var before = f.cloud.records(CloudSimulation.ZONE);
        CutoverRun resumed = dieThenResume(f, dieAt, beforeSave);

        assertThat(resumed.status()).as(describe(resumed.state())).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.allStacks()).extracting(s -> s.name()).containsExactly("shop-blue");
        // The rollback keeps the backups of blue it took (issue 18), each taken once across the death.
        assertThat(f.cloud.databaseSnapshots())
                .extracting(s -> s.id())
                .containsExactly("upgrade-2-0-snap-rehearsal-db");
        assertThat(f.cloud.volumeSnapshots()).hasSize(1);
        assertThat(f.cloud.records(CloudSimulation.ZONE)).isEqualTo(before);
        assertThat(f.sim.store().lock("shop-prod")).isEmpty();
    }

    private static String describe(RunState s) {
        return s.status() + " " + s.failure().orElse("") + " " + s.report() + " "
                + s.steps().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().status()
                                + e.getValue().error().map(x -> "(" + x + ")").orElse(""))
                        .collect(Collectors.joining(", "));
    }
}
