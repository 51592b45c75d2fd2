package io.cutover.cli;

import io.cutover.CutoverException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The region and credentials a command will call AWS with, checked before any client is built or any call made,
 * so that a missing or wrong one is one line naming it and its fix (exit 2), never an SDK stack trace or the same
 * failure on every read of a preflight.
 */
final class AwsSetup {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    private AwsSetup() {}

    /** A region or credentials problem: the command was given nothing it can call AWS with. */
    static final class AwsSetupException extends CutoverException {
        AwsSetupException(String message) {
            super(message);
        }
    }

    /**
     * The region the command calls, from {@code --region}, the environment ({@code AWS_REGION},
     * {@code AWS_DEFAULT_REGION}), the {@code aws.region} system property, or the profile's {@code region} (the
     * SDK's order), and credentials that resolve; throws {@link AwsSetupException} naming what is missing.
     */
    static String check(Options options, Function<String, String> env, ProfileFile profiles) {
        String profile = Optional.ofNullable(options.profile)
                .or(() -> Optional.ofNullable(env.apply("AWS_PROFILE")))
                .orElse("default");
        if (options.profile != null && profiles.profile(options.profile).isEmpty()) {
            throw new AwsSetupException("AWS profile '" + options.profile + "' is not in ~/.aws/config or "
                    + "~/.aws/credentials (known: "
                    + String.join(", ", profiles.profiles().keySet())
                    + "); check its name, or create it with `aws configure --profile " + options.profile + "`");
        }
        String region = Optional.ofNullable(options.region)
                .or(() -> nonBlank(env.apply("AWS_REGION")))
                .or(() -> nonBlank(env.apply("AWS_DEFAULT_REGION")))
                .or(() -> nonBlank(System.getProperty("aws.region")))
                .or(() -> profiles.profile(profile).flatMap(p -> p.property("region")))
                .orElseThrow(() -> new AwsSetupException("no AWS region: pass --region (e.g. --region eu-west-1), "
                        + "set AWS_REGION, or set region in profile '" + profile + "' of ~/.aws/config"));
        if (!REGION.matcher(region).matches()) {
            throw new AwsSetupException("'" + region + "' is not an AWS region name; use one such as eu-west-1 or "
                    + "us-east-1 (--region, AWS_REGION or the profile's region)");
        }
        AwsCredentialsProvider credentials = options.profile != null
                ? ProfileCredentialsProvider.builder()
                        .profileFile(profiles)
                        .profileName(options.profile)
                        .build()
                : DefaultCredentialsProvider.builder().build();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new AwsSetupException(
                    options.profile != null
                            ? "AWS profile '" + options.profile + "' gives no credentials (" + firstLine(e)
                                    + "); add keys with "
                                    + "`aws configure --profile " + options.profile
                                    + "` or log in with `aws sso login --profile "
                                    + options.profile + "`"
                            : "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, "
                                    + "or log in with `aws sso login`");
        }
        return region;
    }

    /** {@link #check} with the process's environment and the shared config and credentials files. */
    static String check(Options options) {
        return check(options, System::getenv, ProfileFile.defaultProfileFile());
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }
}
