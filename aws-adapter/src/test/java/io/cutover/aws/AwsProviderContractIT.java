package io.cutover.aws;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.CloudProvider;
import io.cutover.tck.ProviderContract;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The AWS adapter keeps the provider contract that the simulated cloud keeps, here against the emulator
 * that {@code @AwsEmulator} chose. The tests moto cannot pass are named in {@link #gaps()} with the
 * reason, are skipped (and counted as skipped), and run on the simulated cloud instead
 * (SimulatedCloudContractTest in the test kit).
 */
@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsProviderContractIT extends ProviderContract {
    private AwsClients clients;
    private software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch;
    private AwsCloud cloud;
    private EmulatorEndpoint endpoint;

    @BeforeAll
    void connect(EmulatorEndpoint aws) {
        endpoint = aws;
        clients = Emulated.clients(aws);
        // On moto, through RpcV2CborToJsonBridge: moto answers CloudWatch in JSON 1.0, the SDK speaks CBOR only.
        cloudWatch = Emulated.cloudWatch(aws);
        cloud = AwsCloud.builder().clients(clients).cloudWatch(cloudWatch).build();
    }

    @AfterAll
    void close() {
        clients.close();
        cloudWatch.close();
    }

    @Override
    protected void putAlarm(String name, io.cutover.spi.AlarmProvider.AlarmState state) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(name)
                .namespace("Cutover/Contract")
                .metricName("Errors")
                .statistic("Sum")
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator("GreaterThanThreshold"));
        cloudWatch.setAlarmState(r -> r.alarmName(name).stateValue(state.name()).stateReason("contract test"));
    }

    @Override
    protected void createAuroraCluster(String id) {
        RdsFixtures.auroraCluster(clients.rds(), RdsFixtures.network(clients), id);
    }

    @Override
    protected CloudProvider cloud() {
        return cloud;
    }

    @Override
    protected void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 60 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    protected String createZone(String name) {
        return clients.route53()
                .createHostedZone(
                        r -> r.name(name).callerReference(UUID.randomUUID().toString()))
                .hostedZone()
                .id();
    }

    @Override
    protected String allocateAddress() {
        return clients.ec2().allocateAddress(r -> r.domain("vpc")).allocationId();
    }

    /** The copy cases (CopyVolumes), which moto 5.2.5 cannot run; Ec2CopyVolumeIT proves that gap on each run. */
    static final String NO_COPY_VOLUMES_ON_MOTO = "moto 5.2.5 does not implement EC2 CopyVolumes (Ec2CopyVolumeIT shows"
            + " its answer); the copy cases run on the simulated cloud (SimulatedCloudContractTest) and the request's"
            + " shape is tested in Ec2VolumesWireTest";

    @Override
    protected Map<String, String> gaps() {
        Map<String, String> gaps = new java.util.HashMap<>();
        gaps.put(
                "aCopyHoldsWhatItsSourceHeldWhenTheCallWasMade",
                "reading what a volume holds needs an instance to mount it; the point-in-time copy is tested on the"
                        + " simulated cloud (SimulatedCloudContractTest)");
        if (!endpoint.isMoto()) {
            return gaps;
        }
        for (String copyCase : List.of(
                "aVolumeCopyIsInItsSourcesZoneWithTheRequestsTagsAndTheSourcesSizeAndType",
                "aRepeatedCopyWithItsClientTokenReturnsTheSameCopy",
                "aCopyOfAVolumeThatDoesNotExistIsNotFoundAndOneSmallerThanItsSourceIsRefused")) {
            gaps.put(copyCase, NO_COPY_VOLUMES_ON_MOTO);
        }
        gaps.putAll(Map.of(
                "aTemplateDeclaresItsParametersAndDefaults",
                "moto 5.2.5's ValidateTemplate returns no parameters",
                "repeatingACreateWithItsTokenIsHarmlessAndAnotherTokenIsRefused",
                "moto 5.2.5 answers a repeated ClientRequestToken with AlreadyExists and records no token in events",
                "aTemplateWithoutResourcesIsAnInvalidRequest",
                "moto 5.2.5's ValidateTemplate accepts a template with no resources, which CloudFormation rejects",
                "aReplaceOfARecordChangedSinceItWasReadIsAConflictAndChangesNothing",
                "moto 5.2.5 accepts a DELETE whose values do not match the record (Route 53 refuses the batch with "
                        + "InvalidChangeBatch); the conflict is tested on the simulated cloud, and its mapping in "
                        + "Route53DnsTest",
                "aStackWhoseDeleteFailsIsDeleteFailedAndItsEventsNameTheResource",
                "moto 5.2.5 deletes every stack it is asked to (there is no resource whose delete fails); the "
                        + "DELETE_FAILED mapping is tested in CfnStacksMappingTest"));
        return gaps;
    }
}
