package io.cutover.aws;

import io.cutover.aws.testkit.EmulatorEndpoint;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
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

    /** The adapter over the emulator's clients; each call is made once, as in production. */
    static AwsCloud cloud(AwsClients clients) {
        return AwsCloud.of(clients);
    }

    static KmsClient kms(EmulatorEndpoint aws) {
        return aws.configure(KmsClient.builder()).build();
    }

    /**
     * A CloudWatch client aimed at the emulator. On moto, which answers CloudWatch in JSON 1.0 and awsQuery only,
     * its requests go through {@link RpcV2CborToJsonBridge} (the SDK's client speaks only Smithy RPC v2 CBOR);
     * elsewhere (LocalStack) it is the plain client.
     */
    static CloudWatchClient cloudWatch(EmulatorEndpoint aws) {
        CloudWatchClientBuilder builder = aws.configure(CloudWatchClient.builder());
        if (aws.isMoto()) {
            builder.httpClient(new RpcV2CborToJsonBridge(CloudWatchClient.class.getPackageName() + ".model"));
        }
        return builder.build();
    }

    private static StaticCredentialsProvider credentials(EmulatorEndpoint aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }
}
