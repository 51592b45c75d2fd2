package io.cutover.aws.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.PollPolicy;
import io.cutover.step.Operations;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class EmulatorEndpointTest {
    private final EmulatorEndpoint aws = new EmulatorEndpoint(
            URI.create("http://127.0.0.1:5123"), "eu-west-1", "key", "secret", EmulatorEndpoint.Flavor.MOTO);

    @Test
    void oneCallAimsAnSdkClientAtTheEmulator() {
        try (DynamoDbClient dynamo = aws.configure(DynamoDbClient.builder()).build()) {
            var config = dynamo.serviceClientConfiguration();
            assertThat(config.endpointOverride()).contains(URI.create("http://127.0.0.1:5123"));
            assertThat(config.region()).isEqualTo(Region.EU_WEST_1);
            AwsCredentials credentials = (AwsCredentials)
                    config.credentialsProvider().resolveIdentity().join();
            assertThat(credentials.accessKeyId()).isEqualTo("key");
            assertThat(credentials.secretAccessKey()).isEqualTo("secret");
        }
    }

    @Test
    void thePollPolicyAsksAgainWithinASecondWhereAwsWouldWaitMinutes() {
        PollPolicy policy = aws.pollPolicy();

        for (String operation : PollPolicy.ofDefaults().expected().keySet()) {
            assertThat(policy.next(operation, Duration.ZERO, Optional.empty()))
                    .as(operation)
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(policy.next(operation, Duration.ofMinutes(10), Optional.empty()))
                    .as(operation + " when late")
                    .isBetween(Duration.ofMillis(200), Duration.ofSeconds(1));
        }
        // on AWS, a snapshot expected to take 5 minutes is first asked about after most of a minute
        assertThat(PollPolicy.ofDefaults().next(Operations.DATABASE_SNAPSHOT, Duration.ZERO, Optional.empty()))
                .isGreaterThan(Duration.ofSeconds(30));
        assertThat(policy.next(Operations.DNS_SYNC, Duration.ZERO, Optional.of(Duration.ofSeconds(60))))
                .as("a step's own hint still decides")
                .isEqualTo(Duration.ofSeconds(60));
    }
}
