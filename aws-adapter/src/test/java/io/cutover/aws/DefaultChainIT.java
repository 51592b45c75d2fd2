package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import org.junit.jupiter.api.Test;

/** The convenience factory reaches whatever AWS_ENDPOINT_URL names, as the SDK (2.28.1+) promises. */
@AwsEmulator
class DefaultChainIT {
    @Test
    void clientsFromTheDefaultChainHonourAwsEndpointUrl(EmulatorEndpoint aws) {
        assumeTrue(System.getenv("AWS_ENDPOINT_URL") != null, "the emulator was not configured via AWS_ENDPOINT_URL");
        String zone;
        try (AwsClients explicit = Emulated.clients(aws)) {
            zone = explicit.route53()
                    .createHostedZone(r -> r.name("chain.example").callerReference("chain"))
                    .hostedZone()
                    .id();
        }

        try (AwsClients fromChain = AwsClients.fromDefaultChain()) {
            assertThat(AwsCloud.of(fromChain).dns().describeZone(zone)).isEqualTo("chain.example");
        }
    }
}
