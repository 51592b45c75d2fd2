package io.cutover.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every cutover command shares. */
public final class Options {
    @Option(
            names = "--state-dir",
            defaultValue = ".cutover",
            description = "where cutovers keep their state " + "(default: ${DEFAULT-VALUE})")
    Path stateDir;

    @Mixin
    OutputOption outputOption = new OutputOption();

    @Option(names = "--region", description = "AWS region (default: the SDK's chain: AWS_REGION, profile)")
    String region;

    @Option(names = "--profile", description = "AWS profile from the shared config and credentials files")
    String profile;

    @Option(
            names = "--endpoint-url",
            description = "send AWS calls here (LocalStack, moto); the SDK's " + "AWS_ENDPOINT_URL also works")
    String endpointUrl;

    /** Applies the region, profile and endpoint options to an SDK client builder (unset ones: the SDK's chain). */
    <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(B builder) {
        if (region != null) {
            builder.region(software.amazon.awssdk.regions.Region.of(region));
        }
        if (profile != null) {
            builder.credentialsProvider(
                    software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(profile));
        }
        if (endpointUrl != null) {
            builder.endpointOverride(java.net.URI.create(endpointUrl));
        }
        return builder;
    }

    Output output() {
        return outputOption.output;
    }

    /** How progress and results are shown. */
    enum Output {
        text,
        json
    }
}
