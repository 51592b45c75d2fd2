package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.SystemScheduler;
import io.cutover.plan.Environment;
import io.cutover.plan.Environment.Database;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.plan.Steps;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.BlueGreenProvider.Deployment;
import io.cutover.spi.BlueGreenProvider.Status;
import io.cutover.spi.DnsProvider.RecordSet;
import io.cutover.spi.FailureKind;
import io.cutover.state.InMemoryStateStore;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RDS Blue/Green Deployments on moto 5.2.5, which implements create, describe (by id and by name), switchover
 * and delete. Where moto is not AWS: a deployment is AVAILABLE at its first describe and a switchover completes
 * at once, and no replica lag is reported (nor by RDS's API: CloudWatch has it), so lag, timeouts and guardrail
 * failures are proven on the simulated cloud (BlueGreenDatabaseTest).
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdsBlueGreenIT {
    AwsClients clients;
    BlueGreenProvider bg;
    RdsFixtures.Network network;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        bg = Emulated.cloud(clients).blueGreen();
        network = RdsFixtures.network(clients);
    }

    @AfterAll
    void close() {
        clients.close();
    }

    @Test
    void aDeploymentIsCreatedFoundByNameAndSwitchedOverRenamingBothInstances() {
        RdsFixtures.postgresInstance(clients.rds(), network, "orders-db");
        String id = bg.create("plan-create-bg", "orders-db", Optional.empty(), Map.of("cutover:plan", "plan"));

        Deployment d = bg.describe(id);
        assertThat(d.name()).isEqualTo("plan-create-bg");
        assertThat(d.blueDatabaseId()).isEqualTo("orders-db");
        assertThat(d.greenDatabaseId()).hasValueSatisfying(g -> assertThat(g).startsWith("orders-db-green-"));
        assertThat(d.status()).isIn(Status.PROVISIONING, Status.AVAILABLE);
        assertThat(d.tags()).containsEntry("cutover:plan", "plan");
        assertThat(bg.findByName("plan-create-bg")).map(Deployment::id).contains(id);
        assertThat(bg.findByName("someone-else")).isEmpty();
        assertThat(bg.describe(id).status()).isEqualTo(Status.AVAILABLE);

        bg.switchover(id, Duration.ofMinutes(5));

        Deployment done = bg.describe(id);
        assertThat(done.status()).isIn(Status.SWITCHOVER_IN_PROGRESS, Status.SWITCHOVER_COMPLETED);
        done = bg.describe(id);
        assertThat(done.status()).isEqualTo(Status.SWITCHOVER_COMPLETED);
        assertThat(done.blueDatabaseId()).isEqualTo("orders-db-old1");
        assertThat(done.greenDatabaseId()).contains("orders-db");
        assertThat(clients.rds().describeDBInstances().dbInstances())
                .extracting(i -> i.dbInstanceIdentifier())
                .contains("orders-db", "orders-db-old1");
    }

    @Test
    void deletingBeforeTheSwitchoverRemovesTheDeploymentAndAMissingOneIsNotFound() {
        RdsFixtures.postgresInstance(clients.rds(), network, "shop-db");
        String id = bg.create("plan-bg-2", "shop-db", Optional.empty(), Map.of("cutover:plan", "plan"));
        bg.describe(id);

        String green = bg.describe(id).greenDatabaseId().orElseThrow();

        bg.delete(id, true);

        assertKind(FailureKind.NOT_FOUND, () -> bg.describe(id));
        assertThat(bg.findByName("plan-bg-2")).isEmpty();
        // DeleteTarget: green's instance goes with it; blue's stays.
        assertThat(instances()).contains("shop-db").doesNotContain(green);
    }

    @Test
    void deletingAfterTheSwitchoverRemovesOnlyTheDeploymentAndKeepsBothDatabases() {
        RdsFixtures.postgresInstance(clients.rds(), network, "stock-db");
        String id = bg.create("plan-bg-3", "stock-db", Optional.empty(), Map.of("cutover:plan", "plan"));
        bg.describe(id);
        bg.switchover(id, Duration.ofMinutes(5));
        bg.describe(id);
        assertThat(bg.describe(id).status()).isEqualTo(Status.SWITCHOVER_COMPLETED);

        // As decommission does it (without DeleteTarget, which RDS refuses after a switchover; moto ignores it).
        bg.delete(id, false);

        assertKind(FailureKind.NOT_FOUND, () -> bg.describe(id));
        assertThat(instances()).contains("stock-db", "stock-db-old1");
    }

    @Test
    void theModeThroughTheEngineSwitchesOverAndDecommissionRetiresBluesOldDatabaseAndTheDeployment(
            EmulatorEndpoint aws) {
        RdsFixtures.postgresInstance(clients.rds(), network, "ledger-db");
        clients.cloudFormation().createStack(r -> r.stackName("ledger-blue").templateBody(NOTHING));
        String zone = clients.route53()
                .createHostedZone(r -> r.name("ledger.example.com").callerReference("bg-e2e"))
                .hostedZone()
                .id();
        Emulated.cloud(clients)
                .dns()
                .upsert(
                        zone,
                        List.of(RecordSet.simple("app.ledger.example.com", "CNAME", 60, "blue.ledger.example.net")),
                        "blue");
        Database db = new Database(Kind.INSTANCE, "ledger-db", false);
        // moto runs no application: the verification is a check that passes; decommission needs users moved
        // to a verified green first, here by DNS.
        Plan plan = Plan.of(
                "bg-e2e",
                Environment.of("ledger", "ledger-blue")
                        .withDatabase(db)
                        .withDns(Environment.DnsRecord.of(zone, "app.ledger.example.com", "CNAME")),
                List.of(
                        Steps.createBlueGreen("create-bg").database(db).build(),
                        Steps.switchoverBlueGreen("switchover")
                                .dependsOn("create-bg")
                                .deployment("${create-bg.deploymentId}")
                                .build(),
                        Steps.verify("verify")
                                .dependsOn("switchover")
                                .check(new StepSpec.Check.Custom("ok"))
                                .interval(Duration.ofSeconds(1))
                                .build(),
                        Steps.switchDns("switch-dns")
                                .dependsOn("verify")
                                .target("green.ledger.example.net")
                                .build(),
                        Steps.bake("bake")
                                .dependsOn("switch-dns")
                                .duration(Duration.ofSeconds(1))
                                .interval(Duration.ofMillis(500))
                                .build(),
                        Steps.decommission("decommission").dependsOn("bake").build()));

        RunState end = run(
                aws,
                plan,
                Hooks.builder().check("ok", ctx -> Hooks.CheckResult.healthy()).build());

        assertThat(end.status()).as("%s %s", end.failure(), end.steps()).isEqualTo(RunStatus.COMPLETED);
        // Green's instance carries blue's name; blue's old one was snapshotted, then deleted with the deployment.
        assertThat(instances()).contains("ledger-db").doesNotContain("ledger-db-old1");
        assertThat(clients.rds()
                        .describeDBSnapshots(r -> r.dbSnapshotIdentifier("ledger-db-final-bg-e2e"))
                        .dbSnapshots())
                .singleElement()
                .satisfies(s -> assertThat(s.dbInstanceIdentifier()).isEqualTo("ledger-db-old1"));
        assertThat(bg.findByName("bg-e2e-create-bg")).isEmpty();
        assertThat(end.reportLines()).contains("KEPT final snapshot ledger-db-final-bg-e2e");
    }

    @Test
    void theModeThroughTheEngineFailingBeforeTheSwitchoverDeletesTheDeploymentAndGreenOnly(EmulatorEndpoint aws) {
        RdsFixtures.postgresInstance(clients.rds(), network, "audit-db");
        clients.cloudFormation().createStack(r -> r.stackName("audit-blue").templateBody(NOTHING));
        Database db = new Database(Kind.INSTANCE, "audit-db", false);
        Plan plan = Plan.of(
                "bg-fail",
                Environment.of("audit", "audit-blue").withDatabase(db),
                List.of(
                        Steps.createBlueGreen("create-bg").database(db).build(),
                        Steps.hook("verify")
                                .dependsOn("create-bg")
                                .hook("green-fails")
                                .build(),
                        Steps.switchoverBlueGreen("switchover")
                                .dependsOn("verify")
                                .deployment("${create-bg.deploymentId}")
                                .build()));
        Hooks hooks = Hooks.builder()
                .hook("green-fails", ctx -> new StepOutcome.Failed("green's checks failed"))
                .build();

        RunState end = run(aws, plan, hooks);

        assertThat(end.status()).as("%s %s", end.failure(), end.steps()).isEqualTo(RunStatus.ROLLED_BACK);
        String green = end.step(StepId.of("create-bg")).outputs().get("greenDatabaseId");
        assertThat(green).startsWith("audit-db-green-");
        assertThat(bg.findByName("bg-fail-create-bg")).isEmpty();
        assertThat(instances()).contains("audit-db").doesNotContain(green);
    }

    private static final String NOTHING =
            "{\"Resources\": {\"Nothing\": {\"Type\": \"AWS::CloudFormation::WaitConditionHandle\"}}}";

    private List<String> instances() {
        return clients.rds().describeDBInstances().dbInstances().stream()
                .map(i -> i.dbInstanceIdentifier())
                .toList();
    }

    private RunState run(EmulatorEndpoint aws, Plan plan, Hooks hooks) {
        try (SystemScheduler scheduler = SystemScheduler.of(2)) {
            CutoverRun run = Engine.builder()
                    .cloud(Emulated.cloud(clients))
                    .stateStore(new InMemoryStateStore())
                    .scheduler(scheduler)
                    .hooks(hooks)
                    .pollPolicy(aws.pollPolicy())
                    .build()
                    .start(plan);
            return run.awaitSettled(Duration.ofMinutes(2));
        }
    }
}
