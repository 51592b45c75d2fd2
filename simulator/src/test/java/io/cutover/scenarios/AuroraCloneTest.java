package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.cutover.simulator.SimulatedCloud;
import io.cutover.simulator.SimulatedCloud.SimDatabase;
import io.cutover.spi.DatabaseProvider.CloneRequest;
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
 * Blue's database is an Aurora cluster: green's is an Aurora fast clone of it for the rehearsal, and again, after
 * writes freeze, for the final re-sync, which then takes the clone's minutes instead of a snapshot and a restore.
 * The rehearsal's clone is deleted once the final one is ready; decommission retires blue's cluster with a final
 * snapshot and keeps green's clone.
 */
class AuroraCloneTest {
    static final String DB = "shop-aurora";
    static final String PLAN = "aurora-1";
    static final String REHEARSAL_CLONE = PLAN + "-clone-rehearsal-db";
    static final String FINAL_CLONE = PLAN + "-clone-final-db";
    static final String LISTENER = LoadBalancerSwitchTest.LISTENER;

    /** An application server that reaches its database at the endpoint it is given. */
    static final String TEMPLATE = """
            {"Parameters": {"AppVersion": {"Type": "String", "Default": "1.0"},
                            "DatabaseEndpoint": {"Type": "String", "Default": ""}},
             "Resources": {"AppServer": {"Type": "AWS::EC2::Instance",
                           "Properties": {"InstanceType": "t3.medium", "ImageId": "ami-0123456789abcdef0"}}},
             "Outputs": {"Endpoint": {"Value": {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, ".app.example.com"]]}},
                         "DatabaseEndpoint": {"Value": {"Ref": "DatabaseEndpoint"}}}}
            """;

    final CloudSimulation sim = CloudSimulation.create();
    final SimulatedCloud cloud = sim.cloud();
    final AtomicBoolean frozen = new AtomicBoolean();
    final AtomicLong lastWrite = new AtomicLong();
    final Environment env;

    AuroraCloneTest() {
        cloud.deploy("shop-blue", TEMPLATE, Map.of("DatabaseEndpoint", DB + ".sim.rds.local"));
        cloud.addDatabase(Kind.CLUSTER, DB, null);
        cloud.targetGroup(LoadBalancerSwitchTest.BLUE_TG, "shop-blue")
                .targetGroup(LoadBalancerSwitchTest.GREEN_TG, "shop-green")
                .listener(LISTENER, LoadBalancerSwitchTest.ALB_HOST, LoadBalancerSwitchTest.BLUE_TG);
        env = Environment.of("shop-prod", "shop-blue").withDatabase(new Database(Kind.CLUSTER, DB, false));
        writeEveryMinute();
    }

    /** The application writes to blue's cluster once a minute while writes are not frozen. */
    void writeEveryMinute() {
        Runnable[] w = new Runnable[1];
        w[0] = () -> {
            if (!frozen.get() && cloud.database(Kind.CLUSTER, DB).isPresent()) {
                lastWrite.set(cloud.write(Kind.CLUSTER, DB));
                sim.scheduler().schedule(Duration.ofMinutes(1), w[0]);
            }
        };
        w[0].run();
    }

    Plan plan() {
        Check health = Check.Http.of("http://${green.outputs.Endpoint}/health");
        Database aurora = new Database(Kind.CLUSTER, DB, false);
        return Plan.of(
                PLAN,
                env,
                List.of(
                        Steps.cloneDatabase("clone-rehearsal-db").source(aurora).build(),
                        Steps.cloneStack("clone")
                                .dependsOn("clone-rehearsal-db")
                                .stackName("shop-green")
                                .template(TemplateRef.ofBody(TEMPLATE))
                                .parameter("AppVersion", "2.0")
                                .parameter("DatabaseEndpoint", "${clone-rehearsal-db.endpoint}")
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
                        Steps.cloneDatabase("clone-final-db")
                                .dependsOn("freeze")
                                .source(aurora)
                                .replaces("clone-rehearsal-db")
                                .build(),
                        Steps.updateStack("resync")
                                .dependsOn("clone-final-db")
                                .stack("${green.stack}")
                                .parameter("DatabaseEndpoint", "${clone-final-db.endpoint}")
                                .build(),
                        Steps.verify("verify-final")
                                .dependsOn("resync")
                                .check(health)
                                .build(),
                        Steps.switchTargetGroup("switch-target-group")
                                .dependsOn("verify-final")
                                .listener(LISTENER)
                                .targetGroup(LoadBalancerSwitchTest.GREEN_TG)
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
                .action("freeze-writes", ctx -> frozen.set(true))
                .action("unfreeze-writes", ctx -> {
                    frozen.set(false);
                    writeEveryMinute();
                })
                .build();
    }

    Engine engine() {
        return sim.engine().hooks(hooks()).build();
    }

    /** The clusters that exist now, by id. */
    List<String> clusters() {
        return cloud.allDatabases().stream()
                .filter(d -> d.kind() == Kind.CLUSTER)
                .map(SimDatabase::id)
                .toList();
    }

    @Test
    void aMultiAzDbClusterIsRefusedBeforeAnythingRunsWithTheWayThatServesIt() {
        cloud.cloneModel().multiAzCluster(DB, "postgres");

        assertThatThrownBy(() -> engine().start(plan()))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining("steps[clone-rehearsal-db].source")
                .hasMessageContaining("'" + DB + "' is a Multi-AZ DB cluster (engine postgres)")
                .hasMessageContaining("snapshot-database and restore-database");
        assertThat(sim.store().runIds()).isEmpty();
        assertThat(clusters()).containsExactly(DB);
        assertThat(cloud.calls()).doesNotContainKey("RestoreDBClusterToPointInTime");
    }

    @Test
    void aClusterWithoutInstancesIsRefusedBeforeAnythingRuns() {
        cloud.cloneModel().withoutInstances(DB);

        assertThatThrownBy(() -> engine().start(plan()))
                .isInstanceOf(io.cutover.InvalidPlanException.class)
                .hasMessageContaining("steps[clone-rehearsal-db].source")
                .hasMessageContaining("'" + DB + "' has no DB instances")
                .hasMessageContaining("add an instance to it or use snapshot-restore");
        assertThat(sim.store().runIds()).isEmpty();
        assertThat(clusters()).containsExactly(DB);
    }

    @Test
    void aRehearsalOnACloneAndAFinalCloneAfterTheFreezeGiveGreenEveryWriteInMinutesWhateverTheSize() {
        cloud.growStorage(Kind.CLUSTER, DB, 2000); // 2 TB: a restore of it would take about two hours
        CutoverRun run = engine().start(plan());
        sim.scheduler()
                .runWhile(() -> run.state().step(StepId.of("bake")).status() != StepStatus.RUNNING
                        && !run.settled().isDone());
        RunState atBake = run.state();
        // The rehearsal's clone was asked to be deleted once the final one was ready; RDS takes minutes to delete it,
        // which the bake (an hour) leaves time for.
        java.time.Instant deleteBy = sim.scheduler().now().plus(Duration.ofMinutes(10));
        sim.scheduler()
                .runWhile(() -> clusters().contains(REHEARSAL_CLONE)
                        && sim.scheduler().now().isBefore(deleteBy));

        assertThat(atBake.failure()).isEmpty();
        // Green's database is the final clone, holding every write blue took before the freeze; the rehearsal's
        // clone (older data) is gone, and nothing was snapshotted or restored.
        SimDatabase green = cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow();
        assertThat(green.dataVersion()).isEqualTo(lastWrite.get()).isGreaterThan(10);
        assertThat(cloud.cloneModel().sourceOf(FINAL_CLONE)).contains(DB);
        assertThat(clusters()).containsExactlyInAnyOrder(DB, FINAL_CLONE);
        assertThat(cloud.deletedDatabases()).containsExactly(REHEARSAL_CLONE);
        assertThat(cloud.stack("shop-green").orElseThrow().outputs())
                .containsEntry("DatabaseEndpoint", FINAL_CLONE + ".sim.rds.local");
        assertThat(cloud.calls())
                .containsEntry("RestoreDBClusterToPointInTime", 2)
                .doesNotContainKeys("CreateDBClusterSnapshot", "RestoreDBClusterFromSnapshot");
        // The clone of 2 TB took its five minutes; writes stopped for the clone, green's update and its check
        // (12:25 on the default latencies: 5:00, 5:20, 2:00 and the listener's 0:05).
        io.cutover.state.StepState finalClone = atBake.step(StepId.of("clone-final-db"));
        assertThat(Duration.between(
                        finalClone.startedAt().orElseThrow(),
                        finalClone.endedAt().orElseThrow()))
                .isLessThanOrEqualTo(Duration.ofMinutes(6));
        // (The restore alone takes 15 minutes in snapshot-restore mode, after a snapshot's five.)
        assertThat(atBake.downtime(atBake.updatedAt()).orElseThrow()).isLessThan(Duration.ofMinutes(15));

        run.approve("bake");
        sim.runUntilSettled(run);

        // Decommission retires blue's cluster with a final snapshot holding every write, and keeps green's clone
        // and stack.
        assertThat(run.status()).as("%s", run.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(clusters()).containsExactly(FINAL_CLONE);
        assertThat(cloud.deletedDatabases()).containsExactly(REHEARSAL_CLONE, DB);
        assertThat(cloud.databaseSnapshots())
                .anyMatch(s -> s.source().equals(DB) && s.dataVersion() == lastWrite.get());
        assertThat(cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow().dataVersion())
                .isEqualTo(lastWrite.get());
        assertThat(cloud.stack("shop-green")).isPresent();
        // The report names the clone green runs on, outside green's stack; not the rehearsal's, deleted.
        assertThat(run.state().reportLines())
                .anyMatch(l -> l.startsWith("KEPT database " + FINAL_CLONE + " made by clone-final-db")
                        && l.contains("green uses it"))
                .noneMatch(l -> l.contains(REHEARSAL_CLONE));
    }

    @Test
    void theParallelUpgradeStrategyWithACloneParameterClonesInsteadOfSnapshottingAndRestoring() {
        Plan plan = io.cutover.plan.Strategies.parallelUpgrade(PLAN, env)
                .greenStack("shop-green")
                .template(TemplateRef.ofBody(TEMPLATE))
                .parameter("AppVersion", "2.0")
                .cloneParameter("DatabaseEndpoint", DB)
                .check(Check.Http.of("http://${green.outputs.Endpoint}/health"))
                .freezeWrites("freeze-writes", "unfreeze-writes")
                .switchTargetGroup(LISTENER, LoadBalancerSwitchTest.GREEN_TG)
                .bake(Duration.ofHours(1))
                .build();
        CutoverRun run = engine().start(plan);
        sim.runUntilSettled(run);

        assertThat(run.status()).as("%s", run.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow().dataVersion())
                .isEqualTo(lastWrite.get());
        assertThat(clusters()).containsExactly(FINAL_CLONE);
        assertThat(cloud.deletedDatabases()).containsExactly(REHEARSAL_CLONE, DB);
        assertThat(cloud.stack("shop-green").orElseThrow().outputs())
                .containsEntry("DatabaseEndpoint", FINAL_CLONE + ".sim.rds.local");
        // Cloned, not restored: the one cluster snapshot is decommission's final one, taken before blue's delete.
        assertThat(cloud.calls())
                .containsEntry("CreateDBClusterSnapshot", 1)
                .doesNotContainKey("RestoreDBClusterFromSnapshot");
    }

    @Test
    void aCloneKeepsBluesClassAndSettingsButThePlansOverrides() {
        cloud.configure(
                Kind.CLUSTER,
                DB,
                "db.r6g.xlarge",
                Map.of("port", "5433", "backupRetentionDays", "14", "iamAuthentication", "true"));
        Plan plan = Plan.of(
                PLAN,
                env,
                List.of(Steps.cloneDatabase("clone-db")
                        .source(new Database(Kind.CLUSTER, DB, false))
                        .settings(io.cutover.plan.RestoreSettings.ofSource().withBackupRetentionDays(3))
                        .build()));
        CutoverRun run = sim.engine().build().start(plan);
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        SimDatabase clone = cloud.database(Kind.CLUSTER, PLAN + "-clone-db").orElseThrow();
        assertThat(clone.instanceClass()).isEqualTo("db.r6g.xlarge");
        assertThat(clone.settings())
                .containsEntry("port", "5433")
                .containsEntry("iamAuthentication", "true")
                .containsEntry("backupRetentionDays", "3");
    }

    @Test
    void aRehearsalCloneThatCannotBeDeletedIsKeptAndNamedWithoutFailingTheCutover() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("freeze")).status() != StepStatus.SUCCEEDED);
        cloud.faults().failNext("DeleteDBCluster", io.cutover.spi.FailureKind.INVALID_REQUEST, 1);
        sim.scheduler()
                .runWhile(() -> run.state().step(StepId.of("bake")).status() != StepStatus.RUNNING
                        && !run.settled().isDone());

        assertThat(run.state().failure()).isEmpty();
        assertThat(clusters()).containsExactlyInAnyOrder(DB, REHEARSAL_CLONE, FINAL_CLONE);
        assertThat(run.state().step(StepId.of("clone-final-db")).outputs().get("replacedKept"))
                .contains(REHEARSAL_CLONE)
                .contains("delete it by hand");
    }

    @Test
    void aRestorableTimeBehindTheFreezeIsWaitedForSoTheFinalCloneMissesNoWrite() {
        cloud.cloneModel().restorableLag(Duration.ofMinutes(4));
        CutoverRun run = engine().start(plan());
        sim.scheduler()
                .runWhile(() -> run.state().step(StepId.of("bake")).status() != StepStatus.RUNNING
                        && !run.settled().isDone());

        assertThat(run.state().failure()).isEmpty();
        // Blue took writes until the freeze; a clone of its latest restorable time at once would miss the last
        // four minutes of them.
        assertThat(cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow().dataVersion())
                .isEqualTo(lastWrite.get());
        io.cutover.state.StepState freeze = run.state().step(StepId.of("freeze"));
        assertThat(java.util.Optional.ofNullable(
                        run.state().step(StepId.of("clone-final-db")).outputs().get("clonedAt")))
                .hasValueSatisfying(t -> assertThat(java.time.Instant.parse(t))
                        .isAfterOrEqualTo(freeze.endedAt().orElseThrow()));
    }

    @Test
    void aFailureBeforeTheSwitchRemovesGreensClonesAndLeavesBluesClusterAsItWas() {
        CutoverRun run = engine().start(plan());
        sim.scheduler().runWhile(() -> run.state().step(StepId.of("freeze")).status() != StepStatus.SUCCEEDED);
        long atFreeze = cloud.database(Kind.CLUSTER, DB).orElseThrow().dataVersion();
        cloud.faults().unhealthy("shop-green");
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("verify-final")).status()).isEqualTo(StepStatus.FAILED);
        // Both clones (the rehearsal's, replaced; the final one, compensated) and green's stack are gone; blue's
        // cluster is there with the data it had at the freeze, users never left it, and writes resume.
        assertThat(clusters()).containsExactly(DB);
        assertThat(cloud.deletedDatabases()).containsExactlyInAnyOrder(REHEARSAL_CLONE, FINAL_CLONE);
        assertThat(cloud.stack("shop-green")).isEmpty();
        long atEnd = cloud.database(Kind.CLUSTER, DB).orElseThrow().dataVersion();
        assertThat(atEnd).isGreaterThanOrEqualTo(atFreeze);
        assertThat(cloud.forwardChanges()).isEmpty();
        sim.scheduler().runFor(Duration.ofMinutes(5));
        assertThat(cloud.database(Kind.CLUSTER, DB).orElseThrow().dataVersion()).isGreaterThan(atEnd);
    }

    @Test
    void aSourceAtItsCloneLimitFailsTheRehearsalNamingTheClusterAndTheFix() {
        for (int i = 1; i <= 15; i++) {
            cloud.databases().cloneCluster(CloneRequest.of(DB, "analytics-" + i, Map.of("team", "analytics")));
        }
        CutoverRun run = engine().start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("clone-rehearsal-db")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains("'" + DB + "'")
                        .contains("15 copy-on-write clones")
                        .contains("delete clones of '" + DB + "' no longer used")
                        .contains("snapshot-restore"));
        // The other teams' clones are theirs: none deleted, none made by the run.
        assertThat(clusters()).hasSize(16).doesNotContain(REHEARSAL_CLONE);
        assertThat(cloud.deletedDatabases()).isEmpty();
    }

    @Test
    void aClusterUnderTheClonesNameThatTheRunDidNotMakeIsNeverAdoptedNorDeleted() {
        cloud.databases().cloneCluster(CloneRequest.of(DB, REHEARSAL_CLONE, Map.of("team", "analytics")));
        CutoverRun run = engine().start(plan());
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("clone-rehearsal-db")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains("'" + REHEARSAL_CLONE + "' exists and was not made by this cutover")
                        .contains("choose another newId"));
        assertThat(clusters()).containsExactlyInAnyOrder(DB, REHEARSAL_CLONE);
        assertThat(cloud.deletedDatabases()).isEmpty();
    }

    static Stream<Arguments> deathsInTheCloneStep() {
        AuroraCloneTest t = new AuroraCloneTest();
        VirtualScheduler.Scope p = t.sim.scheduler().scope();
        DyingStore counter =
                new DyingStore(t.sim.store(), p, Integer.MAX_VALUE, false, DyingStore.stepChanged("clone-final-db"));
        CutoverRun run = Engine.builder()
                .cloud(t.cloud)
                .stateStore(counter)
                .scheduler(p)
                .hooks(t.hooks())
                .build()
                .start(t.plan());
        t.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(counter.boundaries).as("claimed, cloned, done at least").isGreaterThanOrEqualTo(3);
        return CrashAndResumeTest.everyDeath(counter.boundaries);
    }

    @ParameterizedTest(name = "dies at the final clone's change {0}, before its save: {1}")
    @MethodSource("deathsInTheCloneStep")
    void aDeathInsideTheFinalCloneStepIsResumedWithOneCloneHoldingEveryWrite(int dieAt, boolean beforeSave) {
        VirtualScheduler.Scope first = sim.scheduler().scope();
        DyingStore dying =
                new DyingStore(sim.store(), first, dieAt, beforeSave, DyingStore.stepChanged("clone-final-db"));
        CutoverRun run = Engine.builder()
                .cloud(cloud)
                .stateStore(dying)
                .scheduler(first)
                .hooks(hooks())
                .build()
                .start(plan());
        sim.scheduler().runWhile(() -> !dying.died.get() && !run.settled().isDone());
        assertThat(dying.died).as("the process died").isTrue();
        CutoverRun resumed =
                sim.engine(sim.scheduler().scope()).hooks(hooks()).build().resume(PLAN);
        sim.runUntilSettled(resumed);

        assertThat(resumed.status()).as("%s", resumed.state().failure()).isEqualTo(RunStatus.COMPLETED);
        assertThat(clusters()).containsExactly(FINAL_CLONE);
        assertThat(cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow().dataVersion())
                .isEqualTo(lastWrite.get());
        assertThat(cloud.deletedDatabases()).containsExactlyInAnyOrder(REHEARSAL_CLONE, DB);
    }

    static Stream<Arguments> deaths() {
        AuroraCloneTest t = new AuroraCloneTest();
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
    void aNewEngineResumesAfterADeathAtAnyStepBoundaryAndClonesEachTimeOnce(int dieAt, boolean beforeSave) {
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
        CutoverRun resumed = Engine.builder()
                .cloud(cloud)
                .stateStore(sim.store())
                .scheduler(sim.scheduler().scope())
                .hooks(hooks())
                .build()
                .resume(PLAN);
        sim.runUntilSettled(resumed);

        assertThat(resumed.status()).as("%s", resumed.state().failure()).isEqualTo(RunStatus.COMPLETED);
        // One clone per clone step, adopted rather than made again; green's the final one with every write, the
        // rehearsal's deleted, blue's retired.
        assertThat(cloud.calls()).containsEntry("RestoreDBClusterToPointInTime", 2);
        assertThat(clusters()).containsExactly(FINAL_CLONE);
        assertThat(cloud.database(Kind.CLUSTER, FINAL_CLONE).orElseThrow().dataVersion())
                .isEqualTo(lastWrite.get());
        assertThat(cloud.deletedDatabases()).containsExactlyInAnyOrder(REHEARSAL_CLONE, DB);
    }
}
