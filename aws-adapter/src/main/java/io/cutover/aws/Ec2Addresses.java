package io.cutover.aws;

import io.cutover.spi.AddressProvider;
import io.cutover.spi.ApiService;
import io.cutover.spi.ProviderException;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** {@link AddressProvider} over EC2 Elastic IPs (VPC allocations, addressed by allocation id). */
final class Ec2Addresses implements AddressProvider {
    private final Ec2Client ec2;
    private final AwsCalls calls;

    Ec2Addresses(Ec2Client ec2, AwsCalls calls) {
        this.ec2 = ec2;
        this.calls = calls;
    }

    @Override
    public AddressDescription describe(String allocationId) {
        return calls
                .call(
                        ApiService.EC2_DESCRIBE,
                        "DescribeAddresses",
                        "Elastic IP allocation '" + allocationId + "'",
                        () -> ec2.describeAddresses(r -> r.allocationIds(allocationId))
                                .addresses())
                .stream()
                .findFirst()
                .map(a -> new AddressDescription(
                        a.allocationId(),
                        a.publicIp(),
                        Optional.ofNullable(a.instanceId()).filter(i -> !i.isEmpty())))
                .orElseThrow(() -> ProviderException.notFound(
                        "DescribeAddresses", "Elastic IP allocation '" + allocationId + "'"));
    }

    @Override
    public void associate(String allocationId, String instanceId) {
        // AllowReassociation: the address moves from blue to green in one call, with no moment unassociated.
        calls.run(
                ApiService.EC2_MUTATE,
                "AssociateAddress",
                "Elastic IP allocation '" + allocationId + "' or instance '" + instanceId + "'",
                () -> ec2.associateAddress(
                        r -> r.allocationId(allocationId).instanceId(instanceId).allowReassociation(true)));
    }
}
