package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.VirtualScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.Downtime;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Steps;
import io.cutover.scenarios.CrashAndResumeTest.DyingStore;
import io.cutover.scenarios.CrashAndResumeTest.ProcessDied;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.ReplicaSimulation;
import io.cutover.simulator.SimulatedCloud;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-replica sync mode behind a load balancer: a read replica of blue's database is created and kept in sync
 * during the rehearsal, green's application is given its endpoint, and at the cutover, with writes frozen, the
 * replica's lag drains, it is promoted, and the listener moves: writes stop for the promotion (minutes), not for a
 * snapshot and a restore.
 */
class ReadReplicaDatabaseTest {
    static final String DB = "shop-db";
    static final String REPLICA = "rr-1-create-replica";
    static final String LISTENER = LoadBalancerSwitchTest.LISTENER;
    static final String BLUE_TG = LoadBalancerSwitchTest.BLUE_TG;
    static final String GREEN_TG = LoadBalancerSwitchTest.GREEN_TG;

    /** An application server whose database is a parameter: green's is given the replica's endpoint. */
    static final String APP = """
            {"Parameters": {"AppVersion": {"Type": "String"}, "DatabaseEndpoint": {"Type": "String"}},
             "Resources": {"AppServer": {"Type": "AWS::EC2::Instance",
                                         "Properties": {"InstanceType": "t3.medium", "ImageId": "ami-0123456789abcdef0"}}},
             "Outputs": {"Endpoint": {"Value": {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, ".app.example.com"]]}},
                         "DatabaseEndpoint": {"Value": {"Ref": "DatabaseEndpoint"}}}}
            """;

    final CloudSimulation sim = CloudSimulation.create();
    final SimulatedCloud cloud = sim.cloud();
    final ReplicaSimulation rr = cloud.replicaModel();
    final AtomicBoolean frozen = new AtomicBoolean();
    /** The last write blue's database took, and the last green's took (after the switch). */
    final AtomicLong lastBlueWrite = new AtomicLong();

    final AtomicLong greenWrites = new AtomicLong();
    final Environment env;

    ReadReplicaDatabaseTest() {
        cloud.deploy("shop-blue", APP, Map.of("AppVersion", "1.0", "DatabaseEndpoint", DB + ".sim.rds.local"));
        cloud.addDatabase(Kind.INSTANCE, DB, null);
        cloud.targetGroup(BLUE_TG, "shop-blue")
                .targetGroup(GREEN_TG, "shop-green")
                .listener(LISTENER, LoadBalancerSwitchTest.ALB_HOST, BLUE_TG);
        env = Environment.of("shop-prod", "shop-blue").withDatabase(new Database(Kind.INSTANCE, DB, false));
        writeEveryMinute();
    }

    boolean usersOnGreen() {
        return cloud.listenerShares(LISTENER).getOrDefault("shop-green", 0) == 100;
    }

    /**
     * Users write once a minute to the database behind the application they reach: blue's while writes are not
     * frozen, the promoted replica once the listener sends them to green.
     */
    void writeEveryMinute() {
        sim.scheduler().schedule(Duration.ofMinutes(1), () -> {
            boolean green = usersOnGreen();
            String target = green ? REPLICA : DB;
            boolean up = cloud.database(Kind.INSTANCE, target)
                    .filter(d -> d.status() == Status.AVAILABLE)
                    .isPresent();
            if ((green || !frozen.get()) && up && !rr.readOnly(target)) {
                long v = cloud.write(Kind.INSTANCE, target);
                if (green) {
                    greenWrites.incrementAndGet();
                } else {
                    lastBlueWrite.set(v);
                }
            }
            writeEveryMinute();
        });
    }

    /** The application's last burst as it stops taking writes: ten writes at once, which the replica lags behind. */
    void lastBurstThenFreeze() {
        for (int i = 0; i < 10; i++) {
            lastBlueWrite.set(cloud.write(Kind.INSTANCE, DB));
        }
        frozen.set(true);
    }

    Plan plan() {
        Check health = Check.Http.of("http://${green.outputs.Endpoint}/health");
        return Plan.of(
                "rr-1",
                env,
                List.of(
                        Steps.createReadReplica("create-replica")
                                .database(new Database(Kind.INSTANCE, DB, false))
                                .build(),
                        Steps.cloneStack("clone")
                                .dependsOn("create-replica")
                                .stackName("shop-green")
                                .template(TemplateRef.ofBody(APP))
                                .parameter("AppVersion", "2.0")
                                .parameter("DatabaseEndpoint", "${create-replica.endpoint}")
                                .build(),
                        Steps.verify("verify-rehearsal")
                                .dependsOn("clone")
                                .check(health)
                                .build(),
                        Steps.hook("freeze")
                                .dependsOn("verify-rehearsal")
                                .hook("freeze-writes")
                                .undo("unfreeze-writes")
                                .downtime(Downtime.STARTS)
                                .build(),
                        Steps.promoteReadReplica("promote")
                                .dependsOn("freeze")
                                .replica("${create-replica.databaseId}")
                                .build(),
                        Steps.verify("verify-final")
                                .dependsOn("promote")
                                .check(health)
                                .build(),
                        Steps.switchTargetGroup("switch-target-group")
                                .dependsOn("verify-final")
                                .listener(LISTENER)
                                .targetGroup(GREEN_TG)
                                .build(),
                        Steps.bake("bake")
                                .dependsOn("switch-target-group")
                                .duration(Duration.ofHours(1))
                                .check(health)
                                .build(),
                        Steps.decommission("decommission").dependsOn("bake").build()));
    }

    Hooks hooks() {
        return Hooks.builder()
                .action("freeze-writes", ctx -> lastBurstThenFreeze())
                .action("unfreeze-writes", ctx -> frozen.set(false))
                .build();
    }

    Engine engine() {
        return sim.engine().hooks(hooks()).build();
    }

    @Test
    void theReplicaCatchesUpIsPromotedAndGreenUsesItWithEveryWriteBlueTook() {
        CutoverRun run = engine().start(plan());
        sim.runUntilSettled(run);
        RunState end = run.state();

        assertThat(end.status()).as("%s", end.failure()).isEqualTo(RunStatus.COMPLETED);
        // Green's application was given the replica's endpoint, which the promoted database keeps.
        assertThat(cloud.stack("shop-green").orElseThrow().parameters())
                .containsEntry("DatabaseEndpoint", REPLICA + ".sim.rds.local");
        assertThat(end.step(StepId.of("promote")).outputs())
                .containsEntry("databaseId", REPLICA)
                .containsEntry("endpoint", REPLICA + ".sim.rds.local");
        // The promoted database holds every write blue took, the last burst before the freeze too, then green's.
        assertThat(rr.replicas())
                .singleElement()
                .satisfies(r -> assertThat(r.promoted()).isTrue());
        assertThat(greenWrites.get()).isPositive();
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().dataVersion())
                .isEqualTo(lastBlueWrite.get() + greenWrites.get());
        assertThat(lastBlueWrite.get()).isGreaterThan(20);
        // Blue's database was retired with a final snapshot of everything it took; the promoted one is kept.
        assertThat(cloud.deletedDatabases()).containsExactly(DB);
        assertThat(cloud.databaseSnapshots())
                .singleElement()
                .satisfies(s -> assertThat(s.source()).isEqualTo(DB))
                .satisfies(s -> assertThat(s.dataVersion()).isEqualTo(lastBlueWrite.get()));
        assertThat(cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
        // Writes stopped for the lag to drain, the promotion (5 min) and a health check: no snapshot, no restore.
        Duration downtime = end.downtime(end.updatedAt()).orElseThrow();
        assertThat(downtime)
                .isGreaterThanOrEqualTo(ReplicaSimulation.defaultPromoteTime())
                .isLessThanOrEqualTo(ReplicaSimulation.defaultPromoteTime().plusMinutes(2));
        // (Its one database snapshot is decommission's final one, taken and waited for before the delete.)
        assertThat(cloud.calls())
                .containsEntry("CreateDBInstanceReadReplica", 1)
                .containsEntry("PromoteReadReplica", 1)
                .containsEntry("CreateDBSnapshot", 1)
                .doesNotContainKey("RestoreDBInstanceFromDBSnapshot");
    }

    @Test
    void aLagThatDoesNotDrainFailsBeforeThePromotionAndTheReplicaIsRemovedWithBlueUntouched() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("freeze")).status() != StepStatus.SUCCEEDED);
        long atFreeze = cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion();
        rr.lag(DB, Duration.ofHours(2)); // a long transaction on blue: the replica cannot catch up in time
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("promote")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("still lags").contains("not promoted"));
        // The replica (and green's stack) are removed; blue's database is as it was, takes writes again, and nobody
        // ever reached green.
        assertThat(rr.replicas()).isEmpty();
        assertThat(cloud.database(Kind.INSTANCE, REPLICA)).isEmpty();
        assertThat(cloud.deletedDatabases()).containsExactly(REPLICA);
        assertThat(cloud.stack("shop-green")).isEmpty();
        assertThat(cloud.calls()).doesNotContainKey("PromoteReadReplica");
        assertThat(cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
        assertThat(frozen).isFalse();
        sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion())
                .isGreaterThan(atFreeze);
    }

    @Test
    void aBrokenReplicationFailsBeforeThePromotionAndSaysWhatRdsSaid() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("freeze")).status() != StepStatus.SUCCEEDED);
        rr.breakReplication(REPLICA, "error: replication slot dropped");
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("promote")).error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("replication slot dropped").contains("not promoted"));
        assertThat(rr.replicas()).isEmpty();
        assertThat(cloud.database(Kind.INSTANCE, DB)).isPresent();
        assertThat(frozen).isFalse();
    }

    @Test
    void aFailedFinalCheckAfterThePromotionRemovesThePromotedReplicaNobodyWroteToAndWritesResumeOnBlue() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("promote")).status() != StepStatus.SUCCEEDED);
        long atFreeze = cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion();
        cloud.faults().unhealthy("shop-green");
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("verify-final")).status()).isEqualTo(StepStatus.FAILED);
        // Users never reached green: the promoted replica holds nothing blue lacks, and is removed with green.
        assertThat(greenWrites.get()).isZero();
        assertThat(cloud.deletedDatabases()).containsExactly(REPLICA);
        assertThat(cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
        sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion())
                .isGreaterThan(atFreeze);
    }

    @Test
    void aRollbackAfterThePromotionMovesUsersBackToBlueWhoseDatabaseLacksGreensWritesAndSaysSo() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("bake")).status() != StepStatus.RUNNING);
        sim.scheduler().runFor(Duration.ofMinutes(10));
        long blueAtFreeze = lastBlueWrite.get();
        assertThat(greenWrites.get()).isPositive();

        run.rollback();
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        // Users are back on blue through the listener, and blue's database takes their writes again; it has none
        // of the writes made on green, which only the promoted database, kept, holds.
        assertThat(cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-blue", 100));
        assertThat(cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion())
                .isEqualTo(blueAtFreeze);
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().dataVersion())
                .isEqualTo(blueAtFreeze + greenWrites.get());
        assertThat(rr.readOnly(REPLICA)).isFalse();
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().status())
                .isEqualTo(Status.AVAILABLE);
        assertThat(cloud.calls()).doesNotContainKey("DeleteDBInstance");
        assertThat(String.join("\n", run.state().reportLines()))
                .contains("KEPT for inspection: create-replica")
                .contains("database " + REPLICA)
                .contains("the writes made on green since the promotion, which blue's " + DB + " has not");
        sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion())
                .isGreaterThan(blueAtFreeze);
        assertThat(cloud.deletedDatabases()).isEmpty();
    }

    @Test
    void lostAnswersToTheCreateAndThePromotionAdoptTheReplicaAndPromoteItOnce() {
        cloud.faults().loseAnswers("CreateDBInstanceReadReplica", 1).loseAnswers("PromoteReadReplica", 1);
        CutoverRun run = engine().start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).as("%s", run.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(cloud.creations())
                .filteredOn(c -> c.kind().equals("read-replica"))
                .hasSize(1);
        assertThat(cloud.calls()).containsEntry("PromoteReadReplica", 1);
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().dataVersion())
                .isEqualTo(lastBlueWrite.get() + greenWrites.get());
    }

    @Test
    void aReplicaNotVisibleYetRightAfterItsCreateIsWaitedFor() {
        // Polled every second, as on an emulator: the describe right after the create does not find the replica.
        cloud.faults().eventualConsistency(Duration.ofSeconds(60));
        CutoverRun run = sim.engine()
                .hooks(hooks())
                .pollPolicy(io.cutover.engine.PollPolicy.ofEmulator())
                .build()
                .start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).as("%s", run.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(cloud.creations())
                .filteredOn(c -> c.kind().equals("read-replica"))
                .hasSize(1);
    }

    /**
     * Found by the fault campaign (seed 346): the create's answer lost, the retried create told the replica exists,
     * and the describe right after it, eventually consistent, not finding it yet failed the step; its undo, not
     * finding it either, left the replica behind, in no report.
     */
    @Test
    void aReplicaRdsSaysExistsButDescribeDoesNotSeeYetIsWaitedForNotFailedAndNotLeftBehind() {
        cloud.faults().loseAnswers("CreateDBInstanceReadReplica", 1).eventualConsistency(Duration.ofSeconds(60));
        CutoverRun run = sim.engine()
                .hooks(hooks())
                .pollPolicy(io.cutover.engine.PollPolicy.ofEmulator())
                .build()
                .start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).as("%s", run.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(cloud.creations())
                .filteredOn(c -> c.kind().equals("read-replica"))
                .singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(REPLICA));
        assertThat(rr.replicas())
                .singleElement()
                .satisfies(r -> assertThat(r.promoted()).isTrue());
    }

    /**
     * Blue's database stands alone. Decommission takes its final snapshot and waits for it before deleting it; when
     * that snapshot fails, the step fails at once, saying so, and blue's database is not deleted. (It used to leave the
     * final snapshot to RDS's delete call, which could delete the database without it: found by the fault campaign,
     * seed 256 of its first blue/green runs.)
     */
    @Test
    void aFinalSnapshotThatFailsFailsDecommissionAtOnceAndBluesDatabaseIsNotDeleted() {
        CutoverRun run = engine().start(plan());
        sim.scheduler()
                .runWhile(() -> run.state().step(StepId.of("bake")).status() != StepStatus.SUCCEEDED
                        && !run.settled().isDone());
        long blueData = cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion();
        cloud.faults().snapshotFails(DB);
        sim.runUntilSettled(run);
        RunState end = run.state();

        assertThat(end.status()).isEqualTo(RunStatus.FAILED);
        var decommission = end.step(StepId.of("decommission"));
        assertThat(decommission.error().orElseThrow())
                .contains("final snapshot " + DB + "-final-rr-1")
                .contains("failed; blue was not deleted");
        assertThat(Duration.between(
                        decommission.startedAt().orElseThrow(),
                        decommission.endedAt().orElseThrow()))
                .isLessThan(Duration.ofMinutes(15));
        assertThat(cloud.deletedDatabases()).doesNotContain(DB);
        assertThat(cloud.database(Kind.INSTANCE, DB).orElseThrow().dataVersion())
                .as("blue's data is still there")
                .isEqualTo(blueData);
        assertThat(cloud.calls()).doesNotContainKey("DeleteDBInstance");
    }

    @Test
    void aDatabaseAlreadyUnderTheReplicasIdIsNeverAdoptedNorDeleted() {
        cloud.addDatabase(Kind.INSTANCE, REPLICA, null); // someone else's, outside the environment
        CutoverRun run = engine().start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("create-replica")).error())
                .hasValueSatisfying(
                        e -> assertThat(e).contains("'" + REPLICA + "' exists").contains("newId"));
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().status())
                .isEqualTo(Status.AVAILABLE);
        assertThat(cloud.deletedDatabases()).isEmpty();
        assertThat(cloud.calls()).doesNotContainKey("DeleteDBInstance");
    }

    @Test
    void aReplicaWhoseLagNobodyReportsFailsTheRehearsalBeforeWritesFreeze() {
        rr.lagNotReported(DB);
        CutoverRun run = engine().start(plan());
        sim.scheduler().runFor(Duration.ofHours(3));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("create-replica")).error())
                .hasValueSatisfying(e ->
                        assertThat(e).contains("no replica lag was reported").contains("CloudWatch"));
        assertThat(run.state().step(StepId.of("freeze")).status()).isNotEqualTo(StepStatus.SUCCEEDED);
        assertThat(rr.replicas()).isEmpty();
        assertThat(frozen).isFalse();
    }

    // ------------------------------------------------------------------------------------------- crashes

    static Stream<Arguments> deaths() {
        ReadReplicaDatabaseTest t = new ReadReplicaDatabaseTest();
        VirtualScheduler.Scope p = t.sim.scheduler().scope();
        DyingStore counter = new DyingStore(t.sim.store(), p, Integer.MAX_VALUE, false);
        CutoverRun run = Engine.builder()
                .cloud(t.cloud)
                .stateStore(counter)
                .scheduler(p)
                .hooks(t.hooks())
                .build()
                .start(t.plan());
        t.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        return CrashAndResumeTest.everyDeath(counter.boundaries);
    }

    @ParameterizedTest(name = "dies at step boundary {0}, before its save: {1}")
    @MethodSource("deaths")
    void aProcessThatDiesAtAnyStepBoundaryIsResumedToTheEndWithOneReplicaPromotedAndNothingOrphaned(
            int dieAt, boolean beforeSave) {
        VirtualScheduler.Scope first = sim.scheduler().scope();
        DyingStore dying = new DyingStore(sim.store(), first, dieAt, beforeSave);
        try {
            CutoverRun run = Engine.builder()
                    .cloud(cloud)
                    .stateStore(dying)
                    .scheduler(first)
                    .hooks(hooks())
                    .build()
                    .start(plan());
            sim.scheduler().runWhile(() -> !dying.died.get() && !run.settled().isDone());
        } catch (ProcessDied expected) {
            // died inside start()
        }
        assertThat(dying.died).as("the process died").isTrue();
        CutoverRun resumed = sim.engine().hooks(hooks()).build().resume("rr-1");
        sim.runUntilSettled(resumed);
        RunState end = resumed.state();

        // Every boundary resumes to the end: the replica adopted, never created twice, promoted once.
        assertThat(end.status()).as("%s", end.failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(cloud.creations())
                .filteredOn(c -> c.kind().equals("read-replica"))
                .hasSize(1);
        assertThat(cloud.allDatabases()).extracting(d -> d.id()).containsExactly(REPLICA);
        assertThat(rr.replicas())
                .singleElement()
                .satisfies(r -> assertThat(r.promoted()).isTrue());
        assertThat(cloud.database(Kind.INSTANCE, REPLICA).orElseThrow().dataVersion())
                .isEqualTo(lastBlueWrite.get() + greenWrites.get());
        // Blue's final snapshot, once, with everything blue took; nothing else of the database's is left.
        assertThat(cloud.databaseSnapshots())
                .singleElement()
                .satisfies(s -> assertThat(s.dataVersion()).isEqualTo(lastBlueWrite.get()));
        assertThat(cloud.deletedDatabases()).containsExactly(DB);
        assertThat(cloud.listenerShares(LISTENER)).isEqualTo(Map.of("shop-green", 100));
        assertThat(sim.store().lock("shop-prod")).isEmpty();
    }
}
