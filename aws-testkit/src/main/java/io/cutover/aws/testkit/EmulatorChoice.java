package io.cutover.aws.testkit;

import java.net.URI;
import java.nio.file.Path;
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

    /** Start moto from a venv of {@code python} (installing it there first if needed). */
    record StartMoto(Path python, Path venv, String version, String region) implements EmulatorChoice {}

    record Skip(String reason) implements EmulatorChoice {}

    /** As {@link #resolve(Map, Map, String, BooleanSupplier, Optional)} on a machine without a Python. */
    static EmulatorChoice resolve(
            Map<String, String> env,
            Map<String, String> systemProperties,
            String defaultImage,
            BooleanSupplier dockerAvailable) {
        return resolve(env, systemProperties, defaultImage, dockerAvailable, Optional.empty());
    }

    /**
     * @param python the interpreter that can create moto's venv ({@link MotoLauncher#findPython}), if any
     */
    static EmulatorChoice resolve(
            Map<String, String> env,
            Map<String, String> systemProperties,
            String defaultImage,
            BooleanSupplier dockerAvailable,
            Optional<Path> python) {
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
            boolean mayStart = !"false"
                    .equalsIgnoreCase(first(env.get("CUTOVER_START_MOTO")).orElse("true"));
            if (mayStart && python.isPresent()) {
                String version = first(env.get("MOTO_VERSION")).orElse(MotoLauncher.VERSION);
                Path venv = first(env.get("MOTO_VENV"))
                        .map(Path::of)
                        .orElseGet(() -> MotoLauncher.defaultVenv(env, version));
                return new StartMoto(python.get(), venv, version, region);
            }
            String start = mayStart
                    ? "no python3 on the PATH to start moto with: install Python 3.9+ and its venv module "
                            + "(Debian/Ubuntu: apt-get install python3 python3-venv; or set PYTHON to an interpreter), "
                            + "and @AwsEmulator installs moto[server]==" + MotoLauncher.VERSION
                            + " into ~/.cache/cutover and starts it; "
                    : "CUTOVER_START_MOTO=false; ";
            return new Skip("no AWS emulator: " + start
                    + "or set AWS_ENDPOINT_URL to a running moto or LocalStack endpoint "
                    + "(aws-adapter/scripts/moto-server.sh start prints one), or set LOCALSTACK_AUTH_TOKEN and run a "
                    + "Docker engine to start LocalStack");
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
