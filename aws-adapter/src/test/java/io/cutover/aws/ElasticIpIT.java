package io.cutover.aws;

import static io.cutover.aws.RdsInstancesIT.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import io.cutover.spi.AddressProvider;
import io.cutover.spi.AddressProvider.AddressDescription;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.ec2.model.DomainType;

@AwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticIpIT {
    AwsClients clients;
    AddressProvider addresses;
    String blueInstance;
    String greenInstance;

    @BeforeAll
    void setUp(EmulatorEndpoint aws) {
        clients = Emulated.clients(aws);
        addresses = Emulated.cloud(clients).addresses();
        blueInstance = runInstance();
        greenInstance = runInstance();
    }

    @AfterAll
    void close() {
        clients.close();
    }

    String runInstance() {
        return clients.ec2()
                .runInstances(r -> r.imageId("ami-12c6146b").minCount(1).maxCount(1))
                .instances()
                .get(0)
                .instanceId();
    }

    String allocate() {
        return clients.ec2().allocateAddress(r -> r.domain(DomainType.VPC)).allocationId();
    }

    @Test
    void aFreshAddressHasAnIpAndNoInstance() {
        String allocation = allocate();

        AddressDescription a = addresses.describe(allocation);

        assertThat(a.allocationId()).isEqualTo(allocation);
        assertThat(a.publicIp()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(a.instanceId()).isEmpty();
    }

    @Test
    void associatingMovesTheAddressFromBlueToGreen() {
        String allocation = allocate();
        addresses.associate(allocation, blueInstance);
        assertThat(addresses.describe(allocation).instanceId()).contains(blueInstance);

        addresses.associate(allocation, greenInstance);

        assertThat(addresses.describe(allocation).instanceId()).contains(greenInstance);
    }

    @Test
    void aMissingAllocationIsNotFoundNamingIt() {
        ProviderException e = assertKind(FailureKind.NOT_FOUND, () -> addresses.describe("eipalloc-0123456789abcdef0"));

        assertThat(e.getMessage()).contains("Elastic IP allocation 'eipalloc-0123456789abcdef0' does not exist");
    }

    @Test
    void associatingAMissingAllocationIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> addresses.associate("eipalloc-0123456789abcdef0", greenInstance));
    }

    @Test
    void associatingWithAMissingInstanceIsNotFound() {
        assertKind(FailureKind.NOT_FOUND, () -> addresses.associate(allocate(), "i-0123456789abcdef0"));
    }
}
