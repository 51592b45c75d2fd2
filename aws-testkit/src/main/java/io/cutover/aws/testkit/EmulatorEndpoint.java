package io.cutover.aws.testkit;

import java.net.URI;
import java.util.Objects;

/**
 * Where the emulator listens and how to sign requests to it: build SDK clients with
 * {@code .endpointOverride(endpoint()).region(Region.of(region()))} and static credentials of
 * {@link #accessKeyId()} and {@link #secretAccessKey()}.
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

    public boolean isMoto() {
        return flavor == Flavor.MOTO;
    }

    /** Wipes the emulator's state (every service, every region); see {@link AwsEmulator#resetBeforeAll()}. */
    public void reset() {
        EmulatorHttp.reset(this);
    }
}
