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

    @Option(
            names = "--files-from-anywhere",
            description = "let plan and fleet files name files outside their own folder (templates, plans); "
                    + "by default only files in the folder of the file that names them, and below, are read")
    boolean filesFromAnywhere;

    /** Where files named by plan and fleet files may be read from. */
    io.cutover.plan.file.PlanFiles.FileAccess fileAccess() {
        return filesFromAnywhere
                ? io.cutover.plan.file.PlanFiles.FileAccess.ANYWHERE
                : io.cutover.plan.file.PlanFiles.FileAccess.PLAN_FOLDER;
    }

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
