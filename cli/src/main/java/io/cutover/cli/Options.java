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

    @Option(
            names = "--poll-profile",
            description = "how often to ask AWS about an operation: aws (its typical durations) or emulator (every "
                    + "second, for moto or LocalStack, where operations finish at once); default: emulator when an "
                    + "endpoint is overridden (--endpoint-url or AWS_ENDPOINT_URL), else aws")
    PollProfile pollProfile;

    /** How the engine polls: AWS's typical durations, or every second on an emulator. */
    enum PollProfile {
        aws,
        emulator
    }

    /** The poll policy: the one asked for, else the emulator's when the endpoint is overridden. */
    io.cutover.engine.PollPolicy pollPolicy(java.util.function.Function<String, String> env) {
        PollProfile p = pollProfile != null
                ? pollProfile
                : endpointUrl != null
                                || (env.apply("AWS_ENDPOINT_URL") != null
                                        && !env.apply("AWS_ENDPOINT_URL").isBlank())
                        ? PollProfile.emulator
                        : PollProfile.aws;
        return p == PollProfile.emulator
                ? io.cutover.engine.PollPolicy.ofEmulator()
                : io.cutover.engine.PollPolicy.ofDefaults();
    }

    /** Applies the region, profile and endpoint options to an SDK client builder (unset ones: the SDK's chain). */
    <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B configure(B builder) {
        if (region != null) {
            builder.region(software.amazon.awssdk.regions.Region.of(region));
        }
        if (profile != null) {
            // the profile gives the region too (its `region` in ~/.aws/config) unless --region says otherwise
            builder.overrideConfiguration(
                    software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.builder()
                            .defaultProfileName(profile)
                            .build());
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
