package io.cutover.aws;

import io.cutover.aws.testkit.EmulatorEndpoint;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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

    private static StaticCredentialsProvider credentials(EmulatorEndpoint aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }
}
