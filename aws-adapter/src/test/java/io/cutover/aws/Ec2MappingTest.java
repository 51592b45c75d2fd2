package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.spi.VolumeProvider.FastRestoreState;
import io.cutover.spi.VolumeProvider.Status;
import io.cutover.spi.VolumeProvider.VolumeDescription;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

class Ec2MappingTest {
    @Test
    void progressIsReadFromEc2sPercentString() {
        assertThat(Ec2Volumes.progress("87%")).isEqualTo(87);
        assertThat(Ec2Volumes.progress("")).isZero();
        assertThat(Ec2Volumes.progress(null)).isZero();
    }

    @Test
    void statesMapToTheSpi() {
        assertThat(Ec2Volumes.volumeStatus("creating")).isEqualTo(Status.PENDING);
        assertThat(Ec2Volumes.volumeStatus("in-use")).isEqualTo(Status.IN_USE);
        assertThat(Ec2Volumes.volumeStatus("error")).isEqualTo(Status.ERROR);
        assertThat(Ec2Volumes.snapshotStatus("pending")).isEqualTo(Status.PENDING);
        assertThat(Ec2Volumes.snapshotStatus("completed")).isEqualTo(Status.COMPLETED);
        assertThat(Ec2Volumes.snapshotStatus("error")).isEqualTo(Status.ERROR);
    }

    @Test
    void anAttachedVolumeNamesItsInstanceButADetachingOneDoesNot() {
        Volume attached = Volume.builder()
                .volumeId("vol-1")
                .state("in-use")
                .size(50)
                .availabilityZone("eu-west-1a")
                .attachments(VolumeAttachment.builder()
                        .instanceId("i-1")
                        .state("attached")
                        .build())
                .build();
        Volume detaching = attached.toBuilder()
                .attachments(VolumeAttachment.builder()
                        .instanceId("i-1")
                        .state("detaching")
                        .build())
                .build();

        VolumeDescription a = Ec2Volumes.volume(attached);

        assertThat(a.attachedInstance()).contains("i-1");
        assertThat(a.sourceSnapshot()).isEmpty();
        assertThat(Ec2Volumes.volume(detaching).attachedInstance()).isEmpty();
    }

    @Test
    void anAttachedVolumeNamesItsDeviceAndType() {
        Volume v = Volume.builder()
                .volumeId("vol-1")
                .state("in-use")
                .size(50)
                .volumeType("gp3")
                .availabilityZone("eu-west-1a")
                .attachments(VolumeAttachment.builder()
                        .instanceId("i-1")
                        .device("/dev/sdf")
                        .state("attached")
                        .build())
                .build();

        VolumeDescription d = Ec2Volumes.volume(v);

        assertThat(d.device()).contains("/dev/sdf");
        assertThat(d.volumeType()).contains("gp3");
    }

    @Test
    void fastSnapshotRestoreStatesMapToTheSpi() {
        assertThat(Ec2Volumes.fastRestoreState("enabling")).isEqualTo(FastRestoreState.ENABLING);
        assertThat(Ec2Volumes.fastRestoreState("optimizing")).isEqualTo(FastRestoreState.OPTIMIZING);
        assertThat(Ec2Volumes.fastRestoreState("enabled")).isEqualTo(FastRestoreState.ENABLED);
        assertThat(Ec2Volumes.fastRestoreState("disabling")).isEqualTo(FastRestoreState.DISABLING);
        assertThat(Ec2Volumes.fastRestoreState("disabled")).isEqualTo(FastRestoreState.DISABLED);
        assertThat(Ec2Volumes.fastRestoreState(null)).isEqualTo(FastRestoreState.DISABLED);
    }
}
