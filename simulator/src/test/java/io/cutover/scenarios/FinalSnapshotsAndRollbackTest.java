package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a person checks after a cutover that went wrong at the two places where data is at stake: blue's
 * retirement (its final snapshots, and only blue's own resources deleted) and a rollback (what it kept, what it
 * could not remove, and the events that said so). Written for the mutants PIT found surviving on these paths
 * (docs/mutation-survivors.md).
 */
class FinalSnapshotsAndRollbackTest {
    private final Fixture f = new Fixture();

    private String finalName(String db) {
        return db + "-final-upgrade-2-0";
    }

    private String volumeFinalSnapshot() {
        return f.cloud.volumeSnapshots().stream()
                .filter(s -> f.env.volumes().get(0).equals(s.tags().get("cutover:final-snapshot-of")))
                .map(SimSnapshot::id)
                .findFirst()
                .orElseThrow();
    }

    // --- Decommission: final snapshots and what it deletes ---------------------------------------------------

    @Test
    void blueWhoseStackCannotBeDeletedKeepsItsFinalSnapshotsAndTheReportSaysDecommissionFailed() {
        f.cloud.faults().deleteFails("shop-blue");
        // A reporting database outside blue's stack is deleted (with a final snapshot) before the stack fails.
        f.cloud.addDatabase(Kind.INSTANCE, "shop-reports", null);
        Environment env = f.env.withDatabase(new Environment.Database(Kind.INSTANCE, "shop-reports", false));
        CutoverRun run = f.runToEnd(f.upgrade("upgrade-2-0", env).build());

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().step(StepId.of("decommission")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("shop-blue").contains("the final snapshots are kept"));
        SimSnapshot last = f.cloud.databaseSnapshots().stream()
                .filter(s -> s.id().equals(finalName(f.blueDb())))
                .findFirst()
                .orElseThrow();
        assertThat(last.status()).isEqualTo("AVAILABLE");
        assertThat(last.dataVersion()).isEqualTo(f.lastWrite.get());
        // Both final snapshots are named, as taken by a decommission that then failed.
        assertThat(run.state().reportLines())
                .contains(
                        "KEPT final snapshot " + finalName(f.blueDb()) + " (taken before decommission failed)",
                        "KEPT final snapshot " + finalName("shop-reports") + " (taken before decommission failed)",
                        "KEPT final snapshot " + volumeFinalSnapshot() + " (taken before decommission failed)");
    }

    @Test
    void aFinalSnapshotThatFailsStopsDecommissionBeforeBlueIsDeleted() {
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        // The snapshots green was built from are done; the next snapshot of blue's database fails.
        f.cloud.faults().snapshotFails(f.blueDb());
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().step(StepId.of("decommission")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains("final snapshot " + finalName(f.blueDb()))
                        .contains("failed; blue was not deleted"));
        assertThat(f.cloud.stack("shop-blue")).isPresent();
        assertThat(f.cloud.database(Kind.INSTANCE, f.blueDb())).isPresent();
        assertThat(f.cloud.calls()).doesNotContainKey("DeleteStack");
    }

    @Test
    void aDatabaseOutsideBluesStackIsDeletedWithAFinalSnapshotOfItsOwnAndEveryFinalSnapshotIsAnOutput() {
        // A reporting database blue uses but its stack does not own: deleting the stack would leave it running.
        f.cloud.addDatabase(Kind.INSTANCE, "shop-reports", null);
        Environment env = f.env.withDatabase(new Environment.Database(Kind.INSTANCE, "shop-reports", false));
        Plan plan = f.upgrade("upgrade-2-0", env).build();
        CutoverRun run = f.runToEnd(plan);

        assertThat(run.status()).as(run.state().failure().orElse("")).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.database(Kind.INSTANCE, "shop-reports")).isEmpty();
        assertThat(f.cloud.databaseSnapshots())
                .filteredOn(s -> s.id().equals(finalName("shop-reports")))
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("AVAILABLE"));
        // A later step, or a person, finds every final snapshot among decommission's outputs.
        StepState decommission = run.state().step(StepId.of("decommission"));
        assertThat(decommission.outputs())
                .containsEntry("finalSnapshot." + f.blueDb(), finalName(f.blueDb()))
                .containsEntry("finalSnapshot.shop-reports", finalName("shop-reports"))
                .containsEntry("finalSnapshot." + f.env.volumes().get(0), volumeFinalSnapshot());
        assertThat(run.state().reportLines())
                .contains(
                        "KEPT final snapshot " + finalName(f.blueDb()),
                        "KEPT final snapshot " + finalName("shop-reports"),
                        "KEPT final snapshot " + volumeFinalSnapshot());
    }

    @Test
    void aSnapshotUnderTheFinalNameWithoutDecommissionsTagsIsNotAdoptedAndBlueIsKept() {
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        f.sim.scheduler().runFor(Duration.ofMinutes(10));
        // A person's own snapshot of blue, under the very name decommission would give its final snapshot, taken
        // as decommission starts (so its time alone does not give it away).
        f.cloud
                .databases()
                .createSnapshot(Kind.INSTANCE, f.blueDb(), finalName(f.blueDb()), Map.of("owner", "dba-team"));
        run.approve("bake");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().step(StepId.of("decommission")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains("was not taken by this decommission")
                        .contains("blue was not deleted"));
        assertThat(f.cloud.stack("shop-blue")).isPresent();
        assertThat(f.cloud.database(Kind.INSTANCE, f.blueDb())).isPresent();
        assertThat(f.cloud.calls()).doesNotContainKey("DeleteStack");
    }

    // --- Snapshots before the switch ---------------------------------------------------------------------------

    @Test
    void aSnapshotNameTakenByAnotherSnapshotIsNotAdoptedAndTheCutoverRollsBackLeavingItAlone() {
        String name = "upgrade-2-0-snap-rehearsal-db";
        f.cloud.databases().createSnapshot(Kind.INSTANCE, f.blueDb(), name, Map.of("owner", "dba-team"));
        CutoverRun run = f.runToEnd(f.plan());

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("snap-rehearsal-db")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains("a snapshot named '" + name + "' exists and was not made by this cutover"));
        // Green was never built from it, and it is still there, its tags as its owner set them.
        assertThat(f.cloud.stack("shop-green")).isEmpty();
        assertThat(f.cloud.databaseSnapshots())
                .filteredOn(s -> s.id().equals(name))
                .singleElement()
                .satisfies(s -> assertThat(s.tags()).containsEntry("owner", "dba-team"));
    }

    // --- Rollback: what it keeps, what it leaves behind, what it says ------------------------------------------

    @Test
    void greenThatCannotBeRemovedIsLeftBehindNamedAndTheRollbackSaysSoInItsStatusEventsAndReport() {
        f.cloud.faults().unhealthy("shop-green");
        f.cloud.faults().deleteFails("shop-green");
        CutoverRun run = f.runToEnd(f.plan());
        RunState end = run.state();

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.RunSettled)
                .singleElement()
                .satisfies(e -> assertThat(((CutoverEvent.RunSettled) e).summary())
                        .isEqualTo("rolled back with resources left behind after: "
                                + end.failure().orElseThrow()));
        assertThat(f.cloud.stack("shop-green")).isPresent();
        StepId green = end.steps().entrySet().stream()
                .filter(e -> e.getValue().status() == StepStatus.COMPENSATION_FAILED)
                .map(e -> StepId.of(e.getKey()))
                .findFirst()
                .orElseThrow();
        String reason = end.step(green).error().orElseThrow();
        assertThat(reason).contains("shop-green");
        assertThat(end.reportLines())
                .anyMatch(l -> l.startsWith("LEFT BEHIND by " + green) && l.endsWith(": " + reason));
        // Whoever listens hears the rollback start (before the switch), each undo start, and the one that failed.
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.RollbackStarted)
                .singleElement()
                .satisfies(e -> assertThat(((CutoverEvent.RollbackStarted) e).afterSwitch())
                        .isFalse());
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.CompensationStarted c
                        && c.step().equals(green))
                .hasSize(1);
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.CompensationFailed c
                        && c.step().equals(green)
                        && c.reason().equals(reason))
                .hasSize(1);
        // Each step that was undone is announced as undone, and only those.
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.StepCompensated)
                .extracting(e -> ((CutoverEvent.StepCompensated) e).step())
                .containsExactlyInAnyOrderElementsOf(end.steps().entrySet().stream()
                        .filter(e -> e.getValue().status() == StepStatus.COMPENSATED)
                        .map(e -> StepId.of(e.getKey()))
                        .toList())
                .isNotEmpty();
        // The backup of blue is named once, kept by the rollback, with when it was taken.
        String taken = end.step(StepId.of("snap-rehearsal-db"))
                .startedAt()
                .orElseThrow()
                .toString();
        assertThat(end.reportLines())
                .filteredOn(l -> l.contains("upgrade-2-0-snap-rehearsal-db"))
                .singleElement()
                .satisfies(l -> assertThat(l).startsWith("KEPT backup ").contains("as it was at " + taken));
    }

    @Test
    void aRollbackAfterTheFreezeEndsTheDowntimeWhenWritesResume() {
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("resync")).status() == StepStatus.RUNNING);
        f.cloud.faults().unhealthy("shop-green");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        RunState end = run.state();
        assertThat(end.step(StepId.of("freeze")).status()).isEqualTo(StepStatus.COMPENSATED);
        assertThat(end.downtimeStartedAt()).isPresent();
        assertThat(end.downtimeEndedAt())
                .hasValueSatisfying(
                        t -> assertThat(t).isAfter(end.downtimeStartedAt().orElseThrow()));
        assertThat(f.events)
                .filteredOn(e -> e instanceof CutoverEvent.DowntimeEnded)
                .singleElement()
                .satisfies(
                        e -> assertThat(((CutoverEvent.DowntimeEnded) e).by()).isEqualTo(StepId.of("freeze")));
    }
}
