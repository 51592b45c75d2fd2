package io.cutover.aws;

import io.cutover.aws.testkit.EmulatorEndpoint;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** Clients and an adapter aimed at the emulator that {@code @AwsEmulator} chose. */
final class Emulated {
    private Emulated() {}

    static AwsClients clients(EmulatorEndpoint aws) {
        return AwsClients.builder()
                .endpointOverride(aws.endpoint())
                .region(aws.region())
                .credentials(credentials(aws))
                .build();
    }

    /**
     * Short retries, since an emulator that fails does so at once, and a generous budget: the ITs test the calls,
     * not the pacing (AwsCallsTest does), and AWS's rates would make them crawl.
     */
    static AwsCloud cloud(AwsClients clients) {
        AwsRateBudget fast = AwsRateBudget.custom()
                .cloudFormation(200)
                .rds(200)
                .ec2Describe(200)
                .ec2Mutating(200)
                .route53(200)
                .build();
        return AwsCloud.builder()
                .clients(clients)
                .rateBudget(fast)
                .retryPolicy(new AwsRetryPolicy(2, Duration.ofMillis(20), 2.0, 0.5))
                .build();
    }

    static KmsClient kms(EmulatorEndpoint aws) {
        return KmsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .build();
    }

    private static StaticCredentialsProvider credentials(EmulatorEndpoint aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }
}
