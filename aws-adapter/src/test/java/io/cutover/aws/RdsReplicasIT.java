package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.ReplicaProvider.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * RDS read replicas on moto 5.2.5, which implements CreateDBInstanceReadReplica, DescribeDBInstances and
 * PromoteReadReplica, and CloudWatch's metric statistics. Where moto is not AWS: a replica is available at once;
 * a promotion of a missing instance is an HTTP 500, not DBInstanceNotFound;
 * a create under a taken id replaces the instance instead of failing with DBInstanceAlreadyExists; and a promoted
 * instance still names its source ({@code ReadReplicaSourceDBInstanceIdentifier}), which RDS clears once the
 * promotion ends. Those paths (adoption after a lost answer, the end of a promotion, lag draining) are proven on
 * the simulated cloud (ReadReplicaDatabaseTest).
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdsReplicasIT {
    AwsClients clients;
    CloudWatchClient cloudWatch;
    AwsCloud cloud;
    ReplicaProvider replicas;
    RdsFixtures.Network network;
    boolean moto;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        cloudWatch = Emulated.cloudWatch(aws);
        cloud = AwsCloud.builder().clients(clients).cloudWatch(cloudWatch).build();
        replicas = cloud.replicas();
        network = RdsFixtures.network(clients);
        moto = aws.isMoto();
    }

    @AfterAll
    void close() {
        cloudWatch.close();
        clients.close();
    }

    @Test
    void aReplicaIsCreatedWithTheRunsTagsAndNamesItsSourceAndCloudWatchsLag() {
        RdsFixtures.postgresInstance(clients.rds(), network, "orders-db");
        replicas.create("plan-create-replica", "orders-db", Map.of("cutover:plan", "plan"));

        Replica r = replicas.describe("plan-create-replica");
        assertThat(r.id()).isEqualTo("plan-create-replica");
        assertThat(r.sourceDatabaseId()).contains("orders-db");
        assertThat(r.status()).isIn(Status.CREATING, Status.AVAILABLE);
        assertThat(r.tags()).containsEntry("cutover:plan", "plan");
        assertThat(r.replicationProblem()).isEmpty();
        assertThat(r.standalone()).isFalse();
        // No ReplicaLag figure yet: the lag is unknown, not zero.
        assertThat(r.replicaLag()).isEmpty();

        cloudWatch.putMetricData(p -> p.namespace("AWS/RDS")
                .metricData(MetricDatum.builder()
                        .metricName("ReplicaLag")
                        .dimensions(Dimension.builder()
                                .name("DBInstanceIdentifier")
                                .value("plan-create-replica")
                                .build())
                        .timestamp(Instant.now())
                        .value(3.0)
                        .unit(StandardUnit.SECONDS)
                        .build()));

        Replica later = replicas.describe("plan-create-replica");
        assertThat(later.status()).isEqualTo(Status.AVAILABLE);
        assertThat(later.replicaLag()).contains(Duration.ofSeconds(3));
        assertThat(later.endpoint()).isPresent();
    }

    @Test
    void aReplicaIsDeletedAsAnyInstanceAndBlueStays() {
        RdsFixtures.postgresInstance(clients.rds(), network, "shop-db");
        replicas.create("plan-replica-2", "shop-db", Map.of("cutover:plan", "plan"));

        cloud.databases().delete(Kind.INSTANCE, "plan-replica-2", Optional.empty());

        assertKind(FailureKind.NOT_FOUND, () -> replicas.describe("plan-replica-2"));
        assertThat(cloud.databases().describe(Kind.INSTANCE, "shop-db").status())
                .isEqualTo(Status.AVAILABLE);
    }

    @Test
    void aPromotedReplicaIsAStandaloneInstance() {
        RdsFixtures.postgresInstance(clients.rds(), network, "billing-db");
        replicas.create("plan-replica-3", "billing-db", Map.of("cutover:plan", "plan"));

        replicas.promote("plan-replica-3");

        Replica promoted = replicas.describe("plan-replica-3");
        assertThat(promoted.status()).isIn(Status.MODIFYING, Status.AVAILABLE);
        Assumptions.assumeFalse(
                moto && promoted.sourceDatabaseId().isPresent(),
                "moto 5.2.5 keeps ReadReplicaSourceDBInstanceIdentifier after PromoteReadReplica (RDS clears it once"
                        + " the promotion ends); the end of a promotion is proven on the simulated cloud");
        assertThat(promoted.sourceDatabaseId()).isEmpty();
    }

    @Test
    void aReplicaUnderATakenIdIsRefused() {
        Assumptions.assumeFalse(
                moto,
                "moto 5.2.5 replaces the instance under a taken id instead of failing with DBInstanceAlreadyExists;"
                        + " adoption after a lost answer is proven on the simulated cloud");
        RdsFixtures.postgresInstance(clients.rds(), network, "taken-db");
        assertKind(FailureKind.ALREADY_EXISTS, () -> replicas.create("taken-db", "orders-db", Map.of("k", "v")));
    }

    @Test
    void aMissingReplicaIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> replicas.describe("no-such-replica"));
        Assumptions.assumeFalse(
                moto,
                "moto 5.2.5 answers PromoteReadReplica of a missing instance with HTTP 500 (a KeyError), not"
                        + " DBInstanceNotFound");
        assertKind(FailureKind.NOT_FOUND, () -> replicas.promote("no-such-replica"));
    }
}
