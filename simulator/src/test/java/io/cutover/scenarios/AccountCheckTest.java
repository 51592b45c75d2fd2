package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.InvalidPlanException;
import io.cutover.engine.AccountCheck;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.plan.Environment;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.plan.Strategies;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The checks made before a cutover changes anything ({@code cutover plan --check}, and {@code run} before its
 * first change): a storage guard that would fail, a NoEcho parameter carried over as its mask, a change set that
 * would replace blue's database, blue's drift, and the caller's permissions.
 */
class AccountCheckTest {
    private final CloudSimulation sim = CloudSimulation.create();
    private final AtomicBoolean maintenance = new AtomicBoolean();
    private final Environment env = sim.deployApp("ocean", "ocean-vpc", "3.1");

    private Engine engine() {
        return sim.engine()
                .hooks(Hooks.builder()
                        .action("maintenance-on", c -> maintenance.set(true))
                        .action("maintenance-off", c -> maintenance.set(false))
                        .build())
                .build();
    }

    private AccountCheck.Report check(Plan plan) {
        return engine().check(plan, d -> sim.scheduler().runFor(d));
    }

    private Strategies.InPlaceUpdate inPlace() {
        return Strategies.inPlaceUpdate("v3-2", env)
                .template(TemplateRef.ofBody(CloudSimulation.sampleTemplate()))
                .parameter("AppVersion", "3.2")
                .maintenanceMode("maintenance-on", "maintenance-off");
    }

    @Test
    void aStorageGuardThatWouldFailRefusesThePlanBeforeMaintenanceMode() {
        sim.cloud()
                .growStorage(
                        Environment.Database.Kind.INSTANCE,
                        env.databases().get(0).id(),
                        150);
        Plan plan = inPlace()
                .parameter("DBAllocatedStorage", "100")
                .storageGuard("DBAllocatedStorage", env.databases().get(0))
                .build();

        assertThat(check(plan).problems())
                .anySatisfy(p -> assertThat(p.toString())
                        .contains("steps[update-stack].storageGuard")
                        .contains("has grown to 150 GB")
                        .contains("set parameter DBAllocatedStorage to 150"));
        assertThatThrownBy(() -> engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("has grown to 150 GB");
        assertThat(maintenance).as("maintenance mode never turned on").isFalse();
        assertThat(sim.cloud().calls()).doesNotContainKeys("CreateChangeSet", "CreateDBSnapshot");
    }

    @Test
    void aStorageGuardCarriedOverFromTheStackIsCheckedToo() {
        sim.cloud()
                .growStorage(
                        Environment.Database.Kind.INSTANCE,
                        env.databases().get(0).id(),
                        150);
        // The plan does not set the size: the stack's own (20 GB) would be sent.
        Plan plan = inPlace()
                .storageGuard("DBAllocatedStorage", env.databases().get(0))
                .build();

        assertThatThrownBy(() -> engine().start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("would set DBAllocatedStorage to 20 GB");
    }

    @Test
    void aChangeSetThatWouldReplaceBluesDatabaseIsRefusedUpFrontAndBeforeItRuns() {
        Plan plan =
                inPlace().parameter("DBSnapshotIdentifier", "some-old-snapshot").build();

        AccountCheck.Report report = check(plan);
        assertThat(report.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.toString())
                        .contains("would replace Database (AWS::RDS::DBInstance, replacement True)")
                        .contains("steps[update-stack].allowReplacement"));
        assertThat(sim.cloud().calls()).containsKey("DeleteChangeSet").doesNotContainKey("ExecuteChangeSet");

        // Started without the check, the step refuses the change set before executing it.
        CutoverRun run = engine().start(plan);
        sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(run.state().step(StepId.of("update-stack")).error())
                .hasValueSatisfying(e -> assertThat(e).contains("would replace Database"));
        assertThat(sim.cloud().calls()).doesNotContainKey("ExecuteChangeSet");
        assertThat(sim.cloud().stack("ocean-vpc").orElseThrow().status()).isEqualTo("CREATE_COMPLETE");
        assertThat(maintenance).isFalse();
    }

    @Test
    void aReplacementThePlanAllowsGoesAhead() {
        Plan plan = inPlace()
                .parameter("DBSnapshotIdentifier", "some-old-snapshot")
                .allowReplacement("Database")
                .build();

        AccountCheck.Report report = check(plan);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("would make 1 change(s) to stack ocean-vpc"));
    }

    @Test
    void aNoEchoParameterCarriedOverIsRefusedAndOneThePlanGivesIsNot() throws Exception {
        ObjectNode t = (ObjectNode) new ObjectMapper().readTree(CloudSimulation.sampleTemplate());
        ((ObjectNode) t.path("Parameters").path("DBInstanceClass")).put("NoEcho", true);
        String noEcho = t.toString();
        CloudSimulation s2 = CloudSimulation.create();
        s2.cloud().deploy("secretive", noEcho, Map.of("AppVersion", "1.0", "DBInstanceClass", "db.r6g.large"));
        Environment blue = Environment.of("secretive", "secretive");
        Plan carried = Strategies.inPlaceUpdate("v2", blue)
                .template(TemplateRef.ofBody(noEcho))
                .parameter("AppVersion", "2.0")
                .build();

        assertThat(s2.cloud().stacks().describe("secretive").parameters()).containsEntry("DBInstanceClass", "****");
        assertThatThrownBy(() -> s2.engine().build().start(carried))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("steps[update-stack].parameters")
                .hasMessageContaining("DBInstanceClass of stack secretive is NoEcho")
                .hasMessageContaining("DBInstanceClass: ${secret:");
        assertThat(s2.cloud().calls()).doesNotContainKey("CreateChangeSet");

        Plan given = Strategies.inPlaceUpdate("v2", blue)
                .template(TemplateRef.ofBody(noEcho))
                .parameter("AppVersion", "2.0")
                .parameter("DBInstanceClass", "db.r6g.large")
                .build();
        CutoverRun run = s2.engine().build().start(given);
        s2.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(s2.cloud().stack("secretive").orElseThrow().parameters())
                .containsEntry("DBInstanceClass", "db.r6g.large");
    }

    @Test
    void driftOfBluesStackIsReportedNotRefused() {
        Plan plan = inPlace().build();
        assertThat(check(plan).notes()).anySatisfy(n -> assertThat(n).contains("drift of stack ocean-vpc: none"));

        sim.cloud().driftResource("ocean-vpc", "DataVolume", "MODIFIED");
        AccountCheck.Report report = check(plan);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes())
                .anySatisfy(n ->
                        assertThat(n).contains("drift of stack ocean-vpc: DataVolume (AWS::EC2::Volume) MODIFIED"));
    }

    @Test
    void theCallersPermissionsAreSimulatedAgainstThePlansPolicy() {
        Plan plan = inPlace().build();
        assertThat(check(plan).notes())
                .anySatisfy(n -> assertThat(n).contains("cutover-operator may make every call of the plan's policy"));

        sim.cloud().deny("cloudformation:ExecuteChangeSet");
        assertThat(check(plan).problems())
                .singleElement()
                .satisfies(p -> assertThat(p.toString())
                        .startsWith("permissions: arn:aws:iam::000000000000:user/cutover-operator may not call "
                                + "cloudformation:ExecuteChangeSet on arn:aws:cloudformation:us-east-1:000000000000:"
                                + "stack/ocean-vpc/* (implicitDeny)"));
    }

    @Test
    void aCallerWhosePoliciesCannotBeSimulatedIsNotedAndNotRefused() {
        Plan plan = inPlace().build();
        sim.cloud().simulationDenied();
        AccountCheck.Report denied = check(plan);
        assertThat(denied.passed()).isTrue();
        assertThat(denied.notes())
                .anySatisfy(
                        n -> assertThat(n)
                                .contains("permissions not simulated")
                                .contains(
                                        "grant iam:SimulatePrincipalPolicy on arn:aws:iam::000000000000:user/cutover-operator"));

        sim.cloud().callerIsNoPrincipal();
        assertThat(check(plan).notes())
                .anySatisfy(n -> assertThat(n).contains("root user").contains("run as an IAM user or role"));
    }
}
