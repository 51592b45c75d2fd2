package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.plan.Environment.Database.Kind;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DatabaseProvider.DatabaseDescription;
import io.cutover.spi.DatabaseProvider.RestoreRequest;
import io.cutover.spi.DatabaseProvider.SnapshotDescription;
import io.cutover.spi.DatabaseProvider.Status;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Filter;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdsClustersIT {
    AwsClients clients;
    KmsClient kms;
    DatabaseProvider databases;
    RdsFixtures.Network network;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        kms = Emulated.kms(aws);
        databases = Emulated.cloud(clients).databases();
        network = RdsFixtures.network(clients);
        RdsFixtures.auroraCluster(clients.rds(), network, "blue");
    }

    @AfterAll
    void close() {
        clients.close();
        kms.close();
    }

    @Test
    void describeReportsTheClusterWithItsWriterFirstAndTheWritersClass() {
        DatabaseDescription blue = databases.describe(Kind.CLUSTER, "blue");

        assertThat(blue.kind()).isEqualTo(Kind.CLUSTER);
        assertThat(blue.status()).isEqualTo(Status.AVAILABLE);
        assertThat(blue.engine()).isEqualTo("aurora-postgresql");
        assertThat(blue.instanceClass()).isEqualTo("db.r6g.large");
        assertThat(blue.endpoint()).hasValueSatisfying(e -> assertThat(e).startsWith("blue.cluster-"));
        assertThat(blue.encrypted()).isTrue();
        assertThat(blue.subnetGroup()).contains(network.subnetGroup());
        assertThat(blue.securityGroups()).containsExactly(network.securityGroup());
        assertThat(blue.parameterGroup()).contains(network.clusterParameterGroup());
        assertThat(blue.tags()).containsEntry("app", "wiki");
        assertThat(blue.memberInstances()).containsExactly("blue-writer", "blue-reader");
    }

    @Test
    void aClusterSnapshotIsDescribedWithProgressAndTags() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "blue-csnap", Map.of("cutover:step", "snapshot"));

        SnapshotDescription snap = databases.describeSnapshot(Kind.CLUSTER, "blue-csnap");

        assertThat(snap.kind()).isEqualTo(Kind.CLUSTER);
        assertThat(snap.sourceDatabaseId()).isEqualTo("blue");
        assertThat(snap.status()).isEqualTo(Status.AVAILABLE);
        assertThat(snap.progressPercent()).isEqualTo(100);
        assertThat(snap.encrypted()).isTrue();
        assertThat(snap.tags()).containsEntry("cutover:step", "snapshot");
    }

    @Test
    void aTakenClusterSnapshotIdIsAlreadyExists() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "taken-csnap", Map.of());

        assertKind(
                FailureKind.ALREADY_EXISTS,
                () -> databases.createSnapshot(Kind.CLUSTER, "blue", "taken-csnap", Map.of()));
    }

    @Test
    void aRestoreCreatesTheClusterAndOneInstancePerSourceMemberWithTheSourceSettings() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "for-green", Map.of());

        databases.restore(RestoreRequest.of(Kind.CLUSTER, "for-green", "green", Map.of("color", "green")));
        DatabaseDescription green = databases.describe(Kind.CLUSTER, "green");

        assertThat(green.memberInstances()).containsExactly("green-1", "green-2");
        assertThat(green.instanceClass()).isEqualTo("db.r6g.large");
        assertThat(green.subnetGroup()).contains(network.subnetGroup());
        assertThat(green.securityGroups()).containsExactly(network.securityGroup());
        assertThat(green.parameterGroup()).contains(network.clusterParameterGroup());
        assertThat(green.encrypted()).isTrue();
        assertThat(green.tags()).containsEntry("app", "wiki").containsEntry("color", "green");
    }

    @Test
    void aRepeatedRestoreIsAlreadyExistsAndAddsNoInstances() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "for-twice", Map.of());
        databases.restore(RestoreRequest.of(Kind.CLUSTER, "for-twice", "twice", Map.of()));

        assertKind(
                FailureKind.ALREADY_EXISTS,
                () -> databases.restore(RestoreRequest.of(Kind.CLUSTER, "for-twice", "twice", Map.of())));
        assertThat(databases.describe(Kind.CLUSTER, "twice").memberInstances()).hasSize(2);
    }

    @Test
    void aRestoreWithAnInstanceClassUsesItForEveryInstance() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "for-bigger", Map.of());

        databases.restore(new RestoreRequest(
                Kind.CLUSTER,
                "for-bigger",
                "bigger",
                Optional.of("db.r6g.xlarge"),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Map.of()));

        List<DBInstance> members = clients.rds()
                .describeDBInstances(r -> r.filters(
                        Filter.builder().name("db-cluster-id").values("bigger").build()))
                .dbInstances();
        assertThat(members).extracting(DBInstance::dbInstanceClass).containsExactly("db.r6g.xlarge", "db.r6g.xlarge");
    }

    @Test
    void deletingAClusterDeletesItsInstancesAndKeepsAFinalSnapshot() {
        RdsFixtures.auroraCluster(clients.rds(), network, "old");

        databases.delete(Kind.CLUSTER, "old", Optional.of("old-final"));

        assertThat(databases.describeSnapshot(Kind.CLUSTER, "old-final").sourceDatabaseId())
                .isEqualTo("old");
        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.INSTANCE, "old-writer"));
        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.CLUSTER, "old"));
    }

    @Test
    void deletingAClusterWithoutAFinalSnapshotLeavesNone() {
        RdsFixtures.auroraCluster(clients.rds(), network, "scratch");

        databases.delete(Kind.CLUSTER, "scratch", Optional.empty());

        // only manual ones: moto, like AWS, keeps an automated snapshot of a new cluster
        assertThat(clients.rds()
                        .describeDBClusterSnapshots(
                                r -> r.dbClusterIdentifier("scratch").snapshotType("manual"))
                        .dbClusterSnapshots())
                .isEmpty();
    }

    @Test
    void aDeletedClusterSnapshotIsGoneAndDeletingItAgainIsFine() {
        databases.createSnapshot(Kind.CLUSTER, "blue", "short-lived", Map.of());

        databases.deleteSnapshot(Kind.CLUSTER, "short-lived");

        assertKind(FailureKind.NOT_FOUND, () -> databases.describeSnapshot(Kind.CLUSTER, "short-lived"));
        databases.deleteSnapshot(Kind.CLUSTER, "short-lived");
    }

    @Test
    void aMissingClusterIsNotFoundNamingIt() {
        ProviderException e = assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.CLUSTER, "no-such"));

        assertThat(e.getMessage()).contains("DB cluster 'no-such' does not exist");
    }

    @Test
    void deletingAMissingClusterIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> databases.delete(Kind.CLUSTER, "no-such", Optional.empty()));
    }
}
