package io.cutover.aws.testkit;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** What {@link AwsEmulatorExtension} will do, decided from the environment alone so it can be unit-tested. */
sealed interface EmulatorChoice {
    /** Use a running emulator; its flavor is detected later unless {@code CUTOVER_AWS_EMULATOR} names it. */
    record UseEndpoint(
            URI endpoint,
            String region,
            String accessKeyId,
            String secretAccessKey,
            Optional<EmulatorEndpoint.Flavor> flavor)
            implements EmulatorChoice {}

    record StartLocalStack(String image, String authToken, String region) implements EmulatorChoice {}

    record Skip(String reason) implements EmulatorChoice {}

    static EmulatorChoice resolve(
            Map<String, String> env,
            Map<String, String> systemProperties,
            String defaultImage,
            BooleanSupplier dockerAvailable) {
        String region =
                first(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")).orElse("us-east-1");
        Optional<String> endpoint = first(systemProperties.get("aws.endpointUrl"), env.get("AWS_ENDPOINT_URL"));
        if (endpoint.isPresent()) {
            URI uri;
            try {
                uri = URI.create(endpoint.get());
            } catch (IllegalArgumentException e) {
                return new Skip("AWS_ENDPOINT_URL '" + endpoint.get() + "' is not a URI: " + e.getMessage());
            }
            Optional<EmulatorEndpoint.Flavor> flavor =
                    first(env.get("CUTOVER_AWS_EMULATOR")).map(EmulatorChoice::flavor);
            return new UseEndpoint(
                    uri,
                    region,
                    first(env.get("AWS_ACCESS_KEY_ID")).orElse("test"),
                    first(env.get("AWS_SECRET_ACCESS_KEY")).orElse("test"),
                    flavor);
        }
        Optional<String> token = first(env.get("LOCALSTACK_AUTH_TOKEN"));
        if (token.isEmpty()) {
            return new Skip(
                    "no AWS emulator: set AWS_ENDPOINT_URL to a moto or LocalStack endpoint (./mvnw verify starts "
                            + "moto for the aws-adapter ITs), or set LOCALSTACK_AUTH_TOKEN and run a Docker engine to start LocalStack");
        }
        if (!dockerAvailable.getAsBoolean()) {
            return new Skip(
                    "LOCALSTACK_AUTH_TOKEN is set but no Docker engine answers, so LocalStack cannot start; start "
                            + "Docker or set AWS_ENDPOINT_URL to a running emulator");
        }
        String image = first(env.get("CUTOVER_LOCALSTACK_IMAGE")).orElse(defaultImage);
        return new StartLocalStack(image, token.get(), region);
    }

    private static EmulatorEndpoint.Flavor flavor(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "moto":
                return EmulatorEndpoint.Flavor.MOTO;
            case "localstack":
                return EmulatorEndpoint.Flavor.LOCALSTACK;
            default:
                return EmulatorEndpoint.Flavor.OTHER;
        }
    }

    private static Optional<String> first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }
}
