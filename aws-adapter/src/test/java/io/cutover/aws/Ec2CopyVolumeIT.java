package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.spi.VolumeProvider;
import io.cutover.spi.VolumeProvider.Status;
import io.cutover.spi.VolumeProvider.VolumeCopy;
import io.cutover.spi.VolumeProvider.VolumeDescription;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The copy path of the replace-volume step ({@code copyOf}: EC2 CopyVolumes) on the emulator. What a user relies on:
 * the copy is in its source's Availability Zone (so it can be attached to green's instance there), carries the
 * cutover's tags from the call that made it (so it is found after a lost answer), a repeated client token returns
 * the same copy (a resumed run makes no second one), it is at least the source's size, and it can be attached.
 *
 * <p>moto 5.2.5 does not implement CopyVolumes: its EC2 responses have no copy_volumes, and its server answers the
 * call with a bare HTML "500 Internal Server Error" page, no EC2 error code (its log says "The copy_volumes action has
 * not been implemented"). Each test here makes the call, and on that answer from moto skips with the reason, never
 * passing silently; any other answer is checked. The copy path is tested on the simulated cloud (the copy cases of
 * SimulatedCloudContractTest, and a whole replace-volume by copy in PolicyCoversTheRunTest) and the request's shape on
 * the wire in Ec2VolumesWireTest.
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2CopyVolumeIT {
    static final String MOTO_GAP = "moto 5.2.5 does not implement EC2 CopyVolumes; the copy path is tested on the"
            + " simulated cloud (SimulatedCloudContractTest's copy cases, PolicyCoversTheRunTest), its request in"
            + " Ec2VolumesWireTest";

    EmulatorEndpoint aws;
    AwsClients clients;
    VolumeProvider volumes;
    String instance;
    String blueVolume;

    @BeforeAll
    void setUp(EmulatorEndpoint endpoint) {
        aws = endpoint;
        clients = Emulated.clients(aws);
        volumes = Emulated.cloud(clients).volumes();
        var ec2 = clients.ec2();
        instance = ec2.runInstances(r -> r.imageId("ami-12c6146b")
                        .minCount(1)
                        .maxCount(1)
                        .placement(p -> p.availabilityZone("us-east-1a")))
                .instances()
                .get(0)
                .instanceId();
        blueVolume = ec2.createVolume(
                        r -> r.size(20).availabilityZone("us-east-1a").volumeType("gp3"))
                .volumeId();
        volumes.attachVolume(blueVolume, instance, "/dev/sdf");
    }

    @AfterAll
    void close() {
        clients.close();
    }

    /** The call's answer, or a skip naming the gap when moto answers that it has no CopyVolumes. */
    <T> T orSkipOnMoto(Supplier<T> call) {
        try {
            return call.get();
        } catch (ProviderException e) {
            skipIfMotoLacksCopyVolumes(e);
            throw e;
        }
    }

    /**
     * Skips when the emulator says it has no CopyVolumes: moto 5.2.5's bare HTML 500, or the answer of an emulator
     * (or Region) that names the action unknown or unimplemented (EC2's {@code InvalidAction}, HTTP 501, "not yet
     * implemented"). Any other failure is the test's.
     */
    void skipIfMotoLacksCopyVolumes(ProviderException e) {
        if (!(e.getCause() instanceof AwsServiceException s)) {
            return;
        }
        String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
                ? ""
                : s.awsErrorDetails().errorCode();
        if (aws.isMoto() && s.statusCode() == 500 && code.isEmpty()) {
            Assumptions.abort(MOTO_GAP + " (moto answered: " + e.getMessage() + ")");
        }
        if (code.equals("InvalidAction")
                || s.statusCode() == 501
                || String.valueOf(s.getMessage()).contains("not yet implemented")) {
            Assumptions.abort("the endpoint (" + aws.flavor() + ") does not implement EC2 CopyVolumes; the copy path is"
                    + " tested on the simulated cloud (" + e.getMessage() + ")");
        }
    }

    @Test
    void aCopyOfBluesVolumeIsInItsZoneWithTheCutoversTagsAndAtLeastItsSizeAndARepeatedTokenReturnsIt() {
        VolumeDescription blue = volumes.describe(blueVolume);
        Map<String, String> tags = Map.of("cutover:plan", "upgrade-2-0", "cutover:step", "replace-disk");
        VolumeCopy copy = new VolumeCopy(blueVolume, Optional.empty(), 0, "cutover-upgrade-2-0-replace-disk", tags);

        String made = orSkipOnMoto(() -> volumes.copyVolume(copy));

        assertThat(orSkipOnMoto(() -> volumes.copyVolume(copy)))
                .as("a repeated client token returns the first copy")
                .isEqualTo(made);
        assertThat(volumes.findVolumes(tags)).extracting(VolumeDescription::id).containsExactly(made);
        VolumeDescription d = volumes.describe(made);
        assertThat(d.availabilityZone()).isEqualTo(blue.availabilityZone());
        assertThat(d.tags()).containsAllEntriesOf(tags);
        assertThat(d.sizeGb()).isGreaterThanOrEqualTo(blue.sizeGb());
        assertThat(d.volumeType()).isEqualTo(blue.volumeType());
        assertThat(volumes.describe(blueVolume).attachedInstance())
                .as("the source stays where it is")
                .contains(instance);

        awaitAvailable(made);
        volumes.attachVolume(made, instance, "/dev/sdg");
        assertThat(volumes.describe(made).attachedInstance()).contains(instance);
        volumes.detachVolume(made, instance);
        awaitAvailable(made);
        volumes.deleteVolume(made);
    }

    @Test
    void aCopyOfAVolumeThatDoesNotExistIsNotFoundAndNamesIt() {
        ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(
                ProviderException.class,
                () -> volumes.copyVolume(new VolumeCopy(
                        "vol-0123456789abcdef0", Optional.empty(), 0, "cutover-missing", Map.of("cutover:plan", "p"))));
        skipIfMotoLacksCopyVolumes(e);
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("vol-0123456789abcdef0");
    }

    private void awaitAvailable(String volumeId) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (volumes.describe(volumeId).status() != Status.AVAILABLE) {
            assertThat(System.nanoTime())
                    .as(volumeId + " available within 120 s")
                    .isLessThan(deadline);
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
