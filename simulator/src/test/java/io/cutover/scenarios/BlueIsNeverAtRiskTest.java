package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud.SimSnapshot;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.state.ReportEntry;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import io.cutover.step.Hooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The promise that an upgrade can fail at any point without losing blue or its data, tried as a user who makes
 * mistakes: each test is a scenario that broke it once, and asserts that blue's stack, databases, volumes and
 * DNS record are untouched (or the plan refused before any call).
 */
class BlueIsNeverAtRiskTest {
    private final Fixture f = new Fixture();

    /** Blue as it was before the cutover: what every scenario checks afterwards. */
    private record Blue(String stack, String database, String volume, List<RecordSet> dns) {}

    private Blue blue() {
        return new Blue("shop-blue", f.blueDb(), f.env.volumes().get(0), f.cloud.records(CloudSimulation.ZONE));
    }

    private void untouched(Blue b) {
        assertThat(f.cloud.stack(b.stack())).as("blue's stack").isPresent();
        assertThat(f.cloud.stack(b.stack()).orElseThrow().status()).isEqualTo("CREATE_COMPLETE");
        assertThat(f.cloud.database(Kind.INSTANCE, b.database()))
                .as("blue's database")
                .hasValueSatisfying(d -> assertThat(String.valueOf(d.status())).isEqualTo("AVAILABLE"));
        assertThat(f.cloud.deletedDatabases()).doesNotContain(b.database());
        assertThat(f.cloud.deletedVolumes()).doesNotContain(b.volume());
        assertThat(f.cloud.records(CloudSimulation.ZONE))
                .as("blue's DNS record")
                .isEqualTo(b.dns());
    }

    private void refusedBeforeAnyCall(Plan plan, String field, String... says) {
        var before = f.cloud.calls();
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems())
                        .anySatisfy(p -> {
                            assertThat(p.field()).isEqualTo(field);
                            for (String s : says) {
                                assertThat(p.message()).contains(s);
                            }
                        }));
        assertThat(f.cloud.calls()).as("no provider call").isEqualTo(before);
    }

    private Plan restorePlan(String newId) {
        Environment.Database db = f.env.databases().get(0);
        return Plan.of(
                "restore-copy",
                f.env,
                List.of(
                        new StepSpec.SnapshotDatabase(StepId.of("snap"), List.of(), db),
                        new StepSpec.RestoreDatabase(
                                StepId.of("restore"),
                                List.of(StepId.of("snap")),
                                db,
                                "${snap.snapshotId}",
                                Optional.of(newId),
                                Optional.empty())));
    }

    private Plan cloneNamed(String stackName) {
        return f.upgrade("upgrade-2-0").greenStack(stackName).build();
    }

    private CutoverRun run(Plan plan, Map<String, String> variables) {
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(f.events::add)
                .environmentVariables(variables::get)
                .build()
                .start(plan);
        f.sim.runUntilSettled(run);
        return run;
    }

    // --- Ownership -------------------------------------------------------------------------------------------

    @Test
    void aRestoreNamedAfterBluesDatabaseIsRefusedBeforeAnyCall() {
        refusedBeforeAnyCall(restorePlan(f.blueDb()), "steps[restore].newId", "is blue's database", f.blueDb());
    }

    @Test
    void aRestoreWhoseNameResolvesToBluesDatabaseFailsAndTheRollbackDeletesNothingOfBlue() {
        Blue b = blue();
        CutoverRun run = run(restorePlan("${env:NEW_DB}"), Map.of("NEW_DB", f.blueDb()));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("restore")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("blue's database"));
        assertThat(f.cloud.calls()).doesNotContainKeys("RestoreDBInstanceFromDBSnapshot", "DeleteDBInstance");
        untouched(b);
    }

    @Test
    void aRestoreIntoADatabaseThatExistedBeforeTheRunDeletesNothingOnRollback() {
        Blue b = blue();
        f.cloud.addDatabase(Kind.INSTANCE, "reports-db", null);
        CutoverRun run = run(restorePlan("reports-db"), Map.of());

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("restore")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("was not made by this cutover"));
        assertThat(f.cloud.database(Kind.INSTANCE, "reports-db"))
                .hasValueSatisfying(d -> assertThat(String.valueOf(d.status())).isEqualTo("AVAILABLE"));
        assertThat(f.cloud.calls()).doesNotContainKey("DeleteDBInstance");
        untouched(b);
    }

    @Test
    void aCloneNamedBluesStackByAnExpressionIsRefusedBeforeAnyCall() {
        refusedBeforeAnyCall(cloneNamed("${blue.stack}"), "steps[clone].stackName", "is blue's stack", "shop-blue");
    }

    @Test
    void aCloneWhoseNameResolvesToBluesStackAtRunTimeChangesNothingOfBlue() {
        Blue b = blue();
        CutoverRun run = run(cloneNamed("${env:GREEN_STACK}"), Map.of("GREEN_STACK", "shop-blue"));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("clone")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("blue's stack"));
        assertThat(f.cloud.calls()).doesNotContainKeys("CreateStack", "DeleteStack");
        untouched(b);
    }

    @Test
    void aCloneIntoAStackThatExistedBeforeTheRunDeletesNothingOnRollback() {
        Blue b = blue();
        f.cloud.deploy("reports", CloudSimulation.sampleTemplate(), Map.of("AppVersion", "1.0"));
        CutoverRun run = run(cloneNamed("${env:GREEN_STACK}"), Map.of("GREEN_STACK", "reports"));

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("clone")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("was not made by this cutover"));
        assertThat(f.cloud.stack("reports")).isPresent();
        assertThat(f.cloud.calls()).doesNotContainKey("DeleteStack");
        untouched(b);
    }

    // --- Names -----------------------------------------------------------------------------------------------

    /** A plan id that is the head of blue's database id, so that a step can be named after the final snapshot. */
    private String planIdInsideTheDatabaseId() {
        return f.blueDb().substring(0, f.blueDb().indexOf('-'));
    }

    @Test
    void aSnapshotStepNamedLikeTheFinalSnapshotIsRefusedBeforeAnyCall() {
        String planId = planIdInsideTheDatabaseId();
        // <plan>-<step> is the name decommission derives for blue's final snapshot: <database>-final-<plan>.
        String stepId = f.blueDb().substring(planId.length() + 1) + "-final-" + planId;
        assertThat(planId + "-" + stepId).isEqualTo(f.blueDb() + "-final-" + planId);
        Plan base = f.upgrade(planId).build();
        List<StepSpec> steps = new ArrayList<>(base.steps());
        steps.add(new StepSpec.SnapshotDatabase(
                StepId.of(stepId), List.of(), f.env.databases().get(0)));

        refusedBeforeAnyCall(
                Plan.of(planId, f.env, steps),
                "steps[" + stepId + "]",
                f.blueDb() + "-final-" + planId,
                "decommission");
    }

    @Test
    void aFinalSnapshotNameTakenBeforeDecommissionStartedIsNotAdoptedAndBlueIsKept() {
        CutoverRun run = f.engine().start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        // A snapshot of the final snapshot's name, even with decommission's own tags, taken before decommission
        // started: blue's data moves on after it, so it is not a final snapshot.
        String finalName = f.blueDb() + "-final-upgrade-2-0";
        f.cloud
                .databases()
                .createSnapshot(
                        Kind.INSTANCE,
                        f.blueDb(),
                        finalName,
                        Map.of(
                                "cutover:plan", "upgrade-2-0",
                                "cutover:step", "decommission",
                                "cutover:environment", "shop-prod",
                                "cutover:final-snapshot-of", f.blueDb()));
        f.sim.scheduler().runFor(Duration.ofMinutes(10));
        run.approve("bake");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.state().step(StepId.of("decommission")).error())
                .hasValueSatisfying(e -> assertThat(e)
                        .contains(finalName)
                        .contains("before decommission started")
                        .contains("blue was not deleted"));
        assertThat(f.cloud.stack("shop-blue")).isPresent();
        assertThat(f.cloud.database(Kind.INSTANCE, f.blueDb())).isPresent();
        assertThat(f.cloud.calls()).doesNotContainKey("DeleteStack");
    }

    // --- Backups survive rollback ------------------------------------------------------------------------------

    @Test
    void anInPlaceUpdateThatFailsVerificationKeepsTheBackupTakenBeforeIt() {
        CloudSimulation sim = f.sim;
        Environment env = sim.deployApp("ocean", "ocean-vpc", "3.1");
        AtomicBoolean maintenance = new AtomicBoolean();
        sim.cloud().faults().unhealthy("ocean-vpc");
        Plan plan = Strategies.inPlaceUpdate("v3-2", env)
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "3.2")
                .check(StepSpec.Check.Http.of("http://${blue.outputs.Endpoint}/health"))
                .maintenanceMode("maintenance-on", "maintenance-off")
                .build();
        CutoverRun run = sim.engine()
                .hooks(Hooks.builder()
                        .action("maintenance-on", c -> maintenance.set(true))
                        .action("maintenance-off", c -> maintenance.set(false))
                        .build())
                .build()
                .start(plan);
        sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        String backup = "v3-2-backup-" + env.databases().get(0).id().toLowerCase();
        assertThat(sim.cloud().databaseSnapshots())
                .filteredOn(s -> s.id().equals(backup))
                .extracting(SimSnapshot::status)
                .containsExactly("AVAILABLE");
        assertThat(run.state().report())
                .anySatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(
                                ReportEntry.KeptBackup.class,
                                k -> assertThat(k.snapshot().id()).isEqualTo(backup)));
        assertThat(run.state().reportLines())
                .anyMatch(l -> l.startsWith("KEPT backup " + backup) && l.contains("rolled back"));
    }

    @Test
    void greenFailingVerificationKeepsEverySnapshotOfBlueAndNamesThem() {
        Blue b = blue();
        f.cloud.faults().unhealthy("shop-green");
        CutoverRun run = f.runToEnd(f.plan());

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.databaseSnapshots())
                .extracting(SimSnapshot::id)
                .containsExactly("upgrade-2-0-snap-rehearsal-db");
        assertThat(f.cloud.volumeSnapshots()).hasSize(1);
        assertThat(run.state().reportLines())
                .anyMatch(l -> l.startsWith("KEPT backup upgrade-2-0-snap-rehearsal-db"))
                .anyMatch(l -> l.startsWith("KEPT backup snap-"));
        untouched(b);
    }

    // --- Plan semantics ----------------------------------------------------------------------------------------

    private Plan edited(UnaryOperator<List<StepSpec>> edit) {
        return Plan.of("upgrade-2-0", f.env, edit.apply(new ArrayList<>(f.plan().steps())));
    }

    private static StepSpec.SwitchDns switchTo(String id, String target, String... deps) {
        return new StepSpec.SwitchDns(
                StepId.of(id),
                List.of(deps).stream().map(StepId::of).toList(),
                Optional.empty(),
                target,
                List.of(),
                Optional.empty(),
                null,
                List.of());
    }

    private static List<StepSpec> replace(List<StepSpec> steps, StepSpec with) {
        steps.replaceAll(s -> s.id().equals(with.id()) ? with : s);
        return steps;
    }

    @Test
    void decommissionWithNoGreenAndNoSwitchIsRefused() {
        refusedBeforeAnyCall(
                Plan.of(
                        "retire",
                        f.env,
                        List.of(
                                new StepSpec.Approval(StepId.of("ok"), List.of(), "retire blue?"),
                                new StepSpec.Decommission(StepId.of("decommission"), List.of(StepId.of("ok")), null))),
                "steps[decommission].dependsOn",
                "no step moves traffic",
                "switch-dns",
                "switch-target-group");
    }

    @Test
    void twoSwitchesOfOneRecordToDifferentTargetsAreRefused() {
        refusedBeforeAnyCall(
                edited(s -> {
                    s.add(switchTo("switch-again", "elsewhere.example.com", "switch-dns"));
                    return s;
                }),
                "steps[switch-again].target",
                "switch-dns",
                "one switch");
    }

    @Test
    void aGateThatIsNotBetweenTheSwitchAndDecommissionIsRefused() {
        refusedBeforeAnyCall(
                edited(s -> {
                    s.add(new StepSpec.Approval(StepId.of("early"), List.of(StepId.of("verify-final")), "ok?"));
                    return replace(
                            s,
                            new StepSpec.Decommission(
                                    StepId.of("decommission"),
                                    List.of(StepId.of("switch-dns"), StepId.of("early")),
                                    null));
                }),
                "steps[decommission].dependsOn",
                "after the switch");
    }

    @Test
    void aSwitchToTheRecordsOwnNameIsRefused() {
        refusedBeforeAnyCall(
                edited(s -> replace(s, switchTo("switch-dns", CloudSimulation.HOST + ".", "verify-final"))),
                "steps[switch-dns].target",
                "the record's own name");
    }

    @Test
    void aLowerTtlThatWouldRaiseBluesTtlIsRefusedBeforeAnyChange() {
        Plan plan = f.upgrade("upgrade-2-0").lowerTtlTo(3600).build();
        assertThatThrownBy(() -> f.engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems())
                        .anySatisfy(p -> {
                            assertThat(p.field()).isEqualTo("steps[lower-ttl].ttl");
                            assertThat(p.message())
                                    .contains("3600")
                                    .contains("300")
                                    .contains("raise");
                        }));
        assertThat(f.cloud.dnsChanges()).isEmpty();
        assertThat(f.sim.store().runIds()).isEmpty();
    }

    // --- TTL after success -------------------------------------------------------------------------------------

    @Test
    void afterASuccessfulCutoverTheRecordHasItsOriginalTtlAgain() {
        long original = f.cloud.records(CloudSimulation.ZONE).get(0).ttl();
        CutoverRun run = f.runToEnd(f.plan());

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
        assertThat(f.cloud.records(CloudSimulation.ZONE))
                .singleElement()
                .satisfies(r -> assertThat(r.ttl()).isEqualTo(original));
        // Restored after the bake, not before: users moved with the short TTL.
        assertThat(run.state().step(StepId.of("restore-ttl")).startedAt().orElseThrow())
                .isAfterOrEqualTo(run.state().step(StepId.of("bake")).endedAt().orElseThrow());
    }
}
