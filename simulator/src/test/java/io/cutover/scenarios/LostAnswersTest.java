package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunStatus;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A create call that takes effect but whose answer is lost, in a cloud whose reads lag behind its writes
 * (EC2 and RDS are eventually consistent): the step cannot see what it made when it looks again at once. An
 * EBS snapshot has no name or token of its own to look for, only its tags, so a step that took "not found" for
 * "not made" took a second snapshot (the fault campaign's seeds 325, 453 and 990). Every snapshot is still
 * taken once, whether the same process carries on or a new one resumes after the lost answer, and a snapshot
 * whose step failed with its answer lost is still named in the report (seed 610).
 */
class LostAnswersTest {
    static Stream<Arguments> lostAnswers() {
        return Stream.of("CreateSnapshot", "CreateDBSnapshot")
                .flatMap(op -> Stream.of(Duration.ofSeconds(5), Duration.ofSeconds(55), Duration.ofSeconds(110))
                        .flatMap(lag -> Stream.of(Arguments.of(op, lag, false), Arguments.of(op, lag, true))));
    }

    @ParameterizedTest(name = "{0}: answer lost, reads lag {1}, process dies after the loss: {2}")
    @MethodSource("lostAnswers")
    void everySnapshotIsTakenOnce(String operation, Duration lag, boolean dies) {
        Faults faults = new Faults().eventualConsistency(lag);
        // The answers of both calls of the operation are lost: the first snapshot step's and the decommission's.
        faults.loseAnswers(operation, 3);
        Fixture f = new Fixture(
                CloudSimulation.create(Latencies.ofDefaults(), RateLimits.ofAws(), faults, new InMemoryStateStore()));
        CutoverRun run;
        if (dies) {
            VirtualScheduler.Scope first = f.sim.scheduler().scope();
            CutoverRun dying = Engine.builder()
                    .cloud(f.cloud)
                    .stateStore(f.sim.store())
                    .scheduler(first)
                    .hooks(f.hooks)
                    .build()
                    .start(f.plan());
            // The process dies just after its first lost answer, before anything it could learn is saved.
            f.runUntil(() -> dying.state().steps().values().stream()
                            .anyMatch(s -> s.memo().containsKey("snapshotId"))
                    && snapshotsTaken(f) > 0);
            first.kill();
            run = Engine.builder()
                    .cloud(f.cloud)
                    .stateStore(f.sim.store())
                    .scheduler(f.sim.scheduler().scope())
                    .hooks(f.hooks)
                    .build()
                    .resume("upgrade-2-0");
        } else {
            run = f.engine().start(f.plan());
        }
        f.sim.runUntilSettled(run);

        assertThat(run.status()).as(run.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
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
    }

    @org.junit.jupiter.api.Test
    void aSnapshotWhoseStepFailedAfterItsAnswerWasLostIsNamedInTheReport() {
        Faults faults = new Faults().loseAnswers("CreateDBSnapshot", 1);
        // The next look at the snapshot fails for good: the step fails, and the cutover rolls back.
        faults.failNext("DescribeDBSnapshots", io.cutover.spi.FailureKind.PERMANENT, 1);
        Fixture f = new Fixture(
                CloudSimulation.create(Latencies.ofDefaults(), RateLimits.ofAws(), faults, new InMemoryStateStore()));
        CutoverRun run = f.runToEnd(f.plan());

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.databaseSnapshots())
                .extracting(SimSnapshot::id)
                .containsExactly("upgrade-2-0-snap-rehearsal-db");
        assertThat(run.state().reportLines())
                .anyMatch(l -> l.contains("upgrade-2-0-snap-rehearsal-db") && l.contains("KEPT"));
    }

    private static int snapshotsTaken(Fixture f) {
        return f.cloud.volumeSnapshots().size() + f.cloud.databaseSnapshots().size();
    }
}
