package io.cutover.aws.testkit;

import io.cutover.engine.PollPolicy;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Where the emulator listens and how to sign requests to it. Aim any SDK client at it in one call,
 * {@code aws.configure(S3Client.builder()).build()}, and give engines on it {@link #pollPolicy()}.
 */
public record EmulatorEndpoint(URI endpoint, String region, String accessKeyId, String secretAccessKey, Flavor flavor) {
    /** Which emulator answers: it decides how state is reset and which gaps to expect. */
    public enum Flavor {
        MOTO,
        LOCALSTACK,
        /** An endpoint that is neither; nothing is reset. */
        OTHER
    }

    public EmulatorEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(flavor, "flavor");
    }

    /**
     * Aims an SDK client builder at the emulator: its endpoint, its region and static credentials of
     * {@link #accessKeyId()} and {@link #secretAccessKey()}. Returns the same builder, for more settings and
     * {@code build()}: {@code DynamoDbClient dynamo = aws.configure(DynamoDbClient.builder()).build();}.
     */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    /**
     * How an engine on the emulator polls: {@link PollPolicy#ofEmulator()}, since every operation of moto
     * completes at once ({@code Engine.builder().pollPolicy(aws.pollPolicy())}).
     */
    public PollPolicy pollPolicy() {
        return PollPolicy.ofEmulator();
    }

    public boolean isMoto() {
        return flavor == Flavor.MOTO;
    }

    /** Wipes the emulator's state (every service, every region); see {@link AwsEmulator#resetBeforeAll()}. */
    public void reset() {
        EmulatorHttp.reset(this);
    }
}
