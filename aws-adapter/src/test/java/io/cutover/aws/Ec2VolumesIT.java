package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
import io.cutover.spi.VolumeProvider.Status;
import io.cutover.spi.VolumeProvider.VolumeDescription;
import io.cutover.spi.VolumeProvider.VolumeSnapshotDescription;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.ResourceType;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2VolumesIT {
    AwsClients clients;
    VolumeProvider volumes;
    String dataVolume;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        volumes = Emulated.cloud(clients).volumes();
        dataVolume = newVolume();
    }

    @AfterAll
    void close() {
        clients.close();
    }

    String newVolume() {
        return clients.ec2()
                .createVolume(r -> r.size(50)
                        .availabilityZone("us-east-1a")
                        .tagSpecifications(Ec2Volumes.tagSpecification(ResourceType.VOLUME, Map.of("app", "wiki"))))
                .volumeId();
    }

    @Test
    void describeReportsSizeZoneStateAndTags() {
        VolumeDescription v = volumes.describe(dataVolume);

        assertThat(v.id()).isEqualTo(dataVolume);
        assertThat(v.status()).isEqualTo(Status.AVAILABLE);
        assertThat(v.sizeGb()).isEqualTo(50);
        assertThat(v.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(v.attachedInstance()).isEmpty();
        assertThat(v.sourceSnapshot()).isEmpty();
        assertThat(v.tags()).containsEntry("app", "wiki");
    }

    @Test
    void aSnapshotIsFoundAgainByTheTagsItWasCreatedWith() {
        String mine = volumes.createSnapshot(
                dataVolume, "before upgrade", Map.of("cutover:plan", "p1", "cutover:step", "snap-data"));
        volumes.createSnapshot(dataVolume, "another step's", Map.of("cutover:plan", "p1", "cutover:step", "other"));

        List<VolumeSnapshotDescription> found =
                volumes.findSnapshots(Map.of("cutover:plan", "p1", "cutover:step", "snap-data"));

        assertThat(found).extracting(VolumeSnapshotDescription::id).containsExactly(mine);
        assertThat(found.get(0).volumeId()).isEqualTo(dataVolume);
        assertThat(found.get(0).tags()).containsEntry("cutover:step", "snap-data");
    }

    @Test
    void findingByTagsNobodySetFindsNothing() {
        assertThat(volumes.findSnapshots(Map.of("cutover:plan", "never-ran"))).isEmpty();
    }

    @Test
    void describeSnapshotReportsItCompleted() {
        String id = volumes.createSnapshot(dataVolume, "d", Map.of());

        VolumeSnapshotDescription snap = volumes.describeSnapshot(id);

        assertThat(snap.status()).isEqualTo(Status.COMPLETED);
        assertThat(snap.progressPercent()).isEqualTo(100);
        assertThat(snap.volumeId()).isEqualTo(dataVolume);
    }

    @Test
    void aDeletedSnapshotIsGoneAndDeletingItAgainIsFine() {
        String id = volumes.createSnapshot(dataVolume, "d", Map.of());

        volumes.deleteSnapshot(id);

        assertKind(FailureKind.NOT_FOUND, () -> volumes.describeSnapshot(id));
        volumes.deleteSnapshot(id);
    }

    @Test
    void aMissingVolumeIsNotFoundNamingIt() {
        ProviderException e = assertKind(FailureKind.NOT_FOUND, () -> volumes.describe("vol-0123456789abcdef0"));

        assertThat(e.getMessage()).contains("volume 'vol-0123456789abcdef0' does not exist");
    }

    @Test
    void snapshottingAMissingVolumeIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> volumes.createSnapshot("vol-0123456789abcdef0", "d", Map.of()));
    }

    @Test
    void aMissingSnapshotIsNotFoundNamingItThoughMotoGivesNoMessage() {
        ProviderException e =
                assertKind(FailureKind.NOT_FOUND, () -> volumes.describeSnapshot("snap-0123456789abcdef0"));

        assertThat(e.getMessage()).contains("snapshot 'snap-0123456789abcdef0' does not exist");
    }
}
