package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.plan.RestoreSettings;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.CloneRequest;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.FailureKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;

/**
 * Aurora fast clones on moto 5.2.5: RestoreDBClusterToPointInTime with {@code RestoreType=copy-on-write} and the
 * latest restorable time, then the clone's instances. moto copies the source cluster's description whole and
 * reports every cluster restorable up to the present, so how long a clone takes, what data it holds, the wait for
 * a restorable time behind the freeze and the limit of clones per source are proven on the simulated cloud
 * (AuroraCloneTest).
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdsClonesIT {
    AwsClients clients;
    DatabaseProvider databases;
    RdsFixtures.Network network;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        databases = Emulated.cloud(clients).databases();
        network = RdsFixtures.network(clients);
        RdsFixtures.auroraCluster(clients.rds(), network, "blue");
    }

    @AfterAll
    void close() {
        clients.close();
    }

    private List<DBInstance> members(String cluster) {
        return clients.rds()
                .describeDBInstances(r -> r.filters(
                        Filter.builder().name("db-cluster-id").values(cluster).build()))
                .dbInstances();
    }

    @Test
    void aCloneIsANewClusterWithOneInstancePerSourceMemberAndTheSourcesSettings() {
        databases.cloneCluster(CloneRequest.of("blue", "green", Map.of("cutover:plan", "p1")));
        DatabaseDescription green = databases.describe(Kind.CLUSTER, "green");

        assertThat(green.engine()).isEqualTo("aurora-postgresql");
        assertThat(green.memberInstances()).containsExactlyInAnyOrder("green-1", "green-2");
        assertThat(members("green")).extracting(DBInstance::dbInstanceClass).containsOnly("db.r6g.large");
        assertThat(green.subnetGroup()).contains(network.subnetGroup());
        assertThat(green.securityGroups()).containsExactly(network.securityGroup());
        assertThat(green.parameterGroup()).contains(network.clusterParameterGroup());
        assertThat(green.encrypted()).isTrue();
        assertThat(green.tags()).containsEntry("app", "wiki").containsEntry("cutover:plan", "p1");
        assertThat(green.endpoint()).hasValueSatisfying(e -> assertThat(e).startsWith("green.cluster-"));
        // Blue is as it was.
        assertThat(databases.describe(Kind.CLUSTER, "blue").memberInstances())
                .containsExactly("blue-writer", "blue-reader");
    }

    @Test
    void aRepeatedCloneIsAlreadyExistsAndAddsNoInstances() {
        databases.cloneCluster(CloneRequest.of("blue", "twice", Map.of()));

        assertKind(
                FailureKind.ALREADY_EXISTS, () -> databases.cloneCluster(CloneRequest.of("blue", "twice", Map.of())));
        assertThat(members("twice")).hasSize(2);
    }

    @Test
    void aCloneWithAnInstanceClassAndOverridesUsesThem() {
        databases.cloneCluster(new CloneRequest(
                "blue",
                "bigger",
                Optional.of("db.r6g.xlarge"),
                Map.of(),
                RestoreSettings.ofSource().withBackupRetentionDays(9)));

        assertThat(members("bigger")).extracting(DBInstance::dbInstanceClass).containsOnly("db.r6g.xlarge");
        assertThat(clients.rds()
                        .describeDBClusters(r -> r.dbClusterIdentifier("bigger"))
                        .dbClusters()
                        .get(0)
                        .backupRetentionPeriod())
                .isEqualTo(9);
    }

    @Test
    void theSourcesLatestRestorableTimeIsReported() {
        Optional<Instant> t = databases.latestRestorableTime(Kind.CLUSTER, "blue");

        assertThat(t)
                .hasValueSatisfying(x -> assertThat(x)
                        .isBetween(
                                Instant.now().minus(Duration.ofHours(1)),
                                Instant.now().plus(Duration.ofMinutes(5))));
    }

    @Test
    void deletingACloneDeletesItsInstancesAndLeavesTheSource() {
        databases.cloneCluster(CloneRequest.of("blue", "short-lived", Map.of()));

        databases.delete(Kind.CLUSTER, "short-lived", Optional.empty());

        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.INSTANCE, "short-lived-1"));
        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.CLUSTER, "short-lived"));
        assertThat(databases.describe(Kind.CLUSTER, "blue").memberInstances()).hasSize(2);
    }

    @Test
    void aCloneOfAMissingClusterIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> databases.cloneCluster(CloneRequest.of("no-such", "x", Map.of())));
    }
}
