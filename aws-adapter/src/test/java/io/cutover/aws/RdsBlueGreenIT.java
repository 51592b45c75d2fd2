package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.BlueGreenProvider.Deployment;
import io.cutover.spi.BlueGreenProvider.Status;
import io.cutover.spi.FailureKind;
import java.time.Duration;
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

        bg.delete(id, true);

        assertKind(FailureKind.NOT_FOUND, () -> bg.describe(id));
        assertThat(bg.findByName("plan-bg-2")).isEmpty();
        assertThat(clients.rds().describeDBInstances().dbInstances())
                .extracting(i -> i.dbInstanceIdentifier())
                .contains("shop-db");
    }
}
