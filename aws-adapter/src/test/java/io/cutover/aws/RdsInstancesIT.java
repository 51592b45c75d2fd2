package io.cutover.aws;

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
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.kms.KmsClient;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RdsInstancesIT {
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
        RdsFixtures.postgresInstance(clients.rds(), network, "blue-db");
    }

    @AfterAll
    void close() {
        clients.close();
        kms.close();
    }

    @Test
    void describeReportsTheInstanceSettingsACutoverMustCarryOver() {
        DatabaseDescription blue = databases.describe(Kind.INSTANCE, "blue-db");

        assertThat(blue.kind()).isEqualTo(Kind.INSTANCE);
        assertThat(blue.status()).isEqualTo(Status.AVAILABLE);
        assertThat(blue.engine()).isEqualTo("postgres");
        assertThat(blue.instanceClass()).isEqualTo("db.t3.micro");
        assertThat(blue.endpoint()).hasValueSatisfying(e -> assertThat(e).startsWith("blue-db."));
        assertThat(blue.allocatedStorageGb()).isEqualTo(20);
        assertThat(blue.maxAllocatedStorageGb()).contains(100);
        assertThat(blue.encrypted()).isTrue();
        assertThat(blue.kmsKeyId()).isPresent();
        assertThat(blue.subnetGroup()).contains(network.subnetGroup());
        assertThat(blue.securityGroups()).containsExactly(network.securityGroup());
        assertThat(blue.parameterGroup()).contains(network.parameterGroup());
        assertThat(blue.tags()).containsEntry("app", "wiki");
        assertThat(blue.memberInstances()).isEmpty();
    }

    /**
     * The restore request carries the source's settings and the plan's overrides, and RDS (moto) accepts it. moto
     * copies the snapshot's database whole on a restore, so what this proves is that the request is accepted with
     * every setting and that an override wins; what is copied is checked in RdsRestoreSettingsTest.
     */
    @Test
    void aRestoreKeepsTheSourcesSettingsAndTakesThePlansOverrides() {
        clients.rds()
                .createDBInstance(r -> r.dbInstanceIdentifier("tuned-db")
                        .dbInstanceClass("db.m6g.large")
                        .engine("postgres")
                        .masterUsername("wiki")
                        .masterUserPassword("not-a-secret-1")
                        .allocatedStorage(100)
                        .storageType("io1")
                        .iops(3000)
                        .multiAZ(true)
                        .port(5433)
                        .backupRetentionPeriod(14)
                        .copyTagsToSnapshot(true)
                        .enableIAMDatabaseAuthentication(true)
                        .dbSubnetGroupName(network.subnetGroup())
                        .vpcSecurityGroupIds(network.securityGroup())
                        .dbParameterGroupName(network.parameterGroup()));
        databases.createSnapshot(Kind.INSTANCE, "tuned-db", "tuned-snap", Map.of());

        databases.restore(new RestoreRequest(
                Kind.INSTANCE,
                "tuned-snap",
                "tuned-copy",
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Map.of("cutover:plan", "restore-it"),
                io.cutover.plan.RestoreSettings.ofSource().withBackupRetentionDays(7)));

        var copy = clients.rds()
                .describeDBInstances(r -> r.dbInstanceIdentifier("tuned-copy"))
                .dbInstances()
                .get(0);
        assertThat(copy.dbInstanceClass()).isEqualTo("db.m6g.large");
        assertThat(copy.multiAZ()).isTrue();
        assertThat(copy.storageType()).isEqualTo("io1");
        assertThat(copy.iops()).isEqualTo(3000);
        assertThat(copy.allocatedStorage()).isEqualTo(100);
        assertThat(copy.endpoint().port()).isEqualTo(5433);
        assertThat(copy.copyTagsToSnapshot()).isTrue();
        assertThat(copy.iamDatabaseAuthenticationEnabled()).isTrue();
        assertThat(copy.backupRetentionPeriod()).as("the plan's override").isEqualTo(7);
        assertThat(copy.dbSubnetGroup().dbSubnetGroupName()).isEqualTo(network.subnetGroup());
        assertThat(copy.dbParameterGroups().get(0).dbParameterGroupName()).isEqualTo(network.parameterGroup());
    }

    @Test
    void aSnapshotIsDescribedWithItsSourceProgressAndTags() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "blue-snap", Map.of("cutover:step", "snapshot"));

        SnapshotDescription snap = databases.describeSnapshot(Kind.INSTANCE, "blue-snap");

        assertThat(snap.id()).isEqualTo("blue-snap");
        assertThat(snap.sourceDatabaseId()).isEqualTo("blue-db");
        assertThat(snap.status()).isEqualTo(Status.AVAILABLE);
        assertThat(snap.progressPercent()).isEqualTo(100);
        assertThat(snap.createdAt()).isPresent();
        assertThat(snap.encrypted()).isTrue();
        assertThat(snap.tags()).containsEntry("cutover:step", "snapshot");
    }

    @Test
    void aTakenSnapshotIdIsAlreadyExists() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "taken-snap", Map.of());

        assertKind(
                FailureKind.ALREADY_EXISTS,
                () -> databases.createSnapshot(Kind.INSTANCE, "blue-db", "taken-snap", Map.of()));
    }

    @Test
    void aRestoreKeepsTheSourceSettingsAndAddsTheRequestTags() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "for-green", Map.of());

        databases.restore(RestoreRequest.of(Kind.INSTANCE, "for-green", "green-db", Map.of("color", "green")));
        DatabaseDescription green = databases.describe(Kind.INSTANCE, "green-db");

        assertThat(green.status()).isEqualTo(Status.AVAILABLE);
        assertThat(green.instanceClass()).isEqualTo("db.t3.micro");
        assertThat(green.subnetGroup()).contains(network.subnetGroup());
        assertThat(green.securityGroups()).containsExactly(network.securityGroup());
        assertThat(green.parameterGroup()).contains(network.parameterGroup());
        assertThat(green.encrypted()).isTrue();
        assertThat(green.tags()).containsEntry("app", "wiki").containsEntry("color", "green");
    }

    @Test
    void aRestoreTakesTheSettingsTheRequestOverrides() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "for-bigger", Map.of());

        databases.restore(new RestoreRequest(
                Kind.INSTANCE,
                "for-bigger",
                "bigger-db",
                Optional.of("db.m5.large"),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Map.of("app", "wiki-next")));
        DatabaseDescription bigger = databases.describe(Kind.INSTANCE, "bigger-db");

        assertThat(bigger.instanceClass()).isEqualTo("db.m5.large");
        assertThat(bigger.subnetGroup()).contains(network.subnetGroup());
        assertThat(bigger.tags()).containsEntry("app", "wiki-next");
    }

    @Test
    void restoringOntoATakenIdIsAlreadyExists() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "for-taken", Map.of());

        assertKind(
                FailureKind.ALREADY_EXISTS,
                () -> databases.restore(RestoreRequest.of(Kind.INSTANCE, "for-taken", "blue-db", Map.of())));
    }

    @Test
    void restoringFromAMissingSnapshotIsNotFoundNamingIt() {
        ProviderException e = assertKind(
                FailureKind.NOT_FOUND,
                () -> databases.restore(RestoreRequest.of(Kind.INSTANCE, "no-such-snap", "x-db", Map.of())));

        assertThat(e.getMessage()).contains("DB snapshot 'no-such-snap'");
    }

    @Test
    void deletingWithAFinalSnapshotKeepsTheData() {
        RdsFixtures.postgresInstance(clients.rds(), network, "old-db");

        databases.delete(Kind.INSTANCE, "old-db", Optional.of("old-db-final"));

        assertThat(databases.describeSnapshot(Kind.INSTANCE, "old-db-final").sourceDatabaseId())
                .isEqualTo("old-db");
        // moto deletes at once; AWS would report DELETING for a while
        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.INSTANCE, "old-db"));
    }

    @Test
    void deletingWithoutAFinalSnapshotLeavesNoSnapshot() {
        RdsFixtures.postgresInstance(clients.rds(), network, "scratch-db");

        databases.delete(Kind.INSTANCE, "scratch-db", Optional.empty());

        assertThat(clients.rds()
                        .describeDBSnapshots(
                                r -> r.dbInstanceIdentifier("scratch-db").snapshotType("manual"))
                        .dbSnapshots())
                .isEmpty();
        assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.INSTANCE, "scratch-db"));
    }

    @Test
    void aDeletedSnapshotIsGoneAndDeletingItAgainIsFine() {
        databases.createSnapshot(Kind.INSTANCE, "blue-db", "short-lived", Map.of());

        databases.deleteSnapshot(Kind.INSTANCE, "short-lived");

        assertKind(FailureKind.NOT_FOUND, () -> databases.describeSnapshot(Kind.INSTANCE, "short-lived"));
        databases.deleteSnapshot(Kind.INSTANCE, "short-lived");
    }

    @Test
    void aMissingInstanceIsNotFoundNamingIt() {
        ProviderException e = assertKind(FailureKind.NOT_FOUND, () -> databases.describe(Kind.INSTANCE, "no-such-db"));

        assertThat(e.getMessage()).contains("DB instance 'no-such-db' does not exist");
    }

    @Test
    void snapshottingAMissingInstanceIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> databases.createSnapshot(Kind.INSTANCE, "no-such-db", "s", Map.of()));
    }

    @Test
    void aMissingSnapshotIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> databases.describeSnapshot(Kind.INSTANCE, "no-such-snap"));
    }

    static ProviderException assertKind(FailureKind kind, Executable call) {
        ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(ProviderException.class, call);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
        return e;
    }
}
