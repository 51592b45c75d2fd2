package io.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.engine.PollPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The poll profile: the emulator's whenever the endpoint is overridden, unless asked otherwise. */
class PollProfileTest {
    private static Options options(String endpoint, Options.PollProfile profile) {
        Options o = new Options();
        o.endpointUrl = endpoint;
        o.pollProfile = profile;
        return o;
    }

    @Test
    void anEndpointOverrideChoosesTheEmulatorProfileAndAwsKeepsItsTypicalDurations() {
        assertThat(options("http://localhost:5000", null).pollPolicy(Map.<String, String>of()::get))
                .isEqualTo(PollPolicy.ofEmulator());
        assertThat(options(null, null).pollPolicy(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566")::get))
                .isEqualTo(PollPolicy.ofEmulator());
        assertThat(options(null, null).pollPolicy(Map.<String, String>of()::get))
                .isEqualTo(PollPolicy.ofDefaults());
        assertThat(options("http://localhost:5000", Options.PollProfile.aws).pollPolicy(Map.<String, String>of()::get))
                .isEqualTo(PollPolicy.ofDefaults());
        assertThat(options(null, Options.PollProfile.emulator).pollPolicy(Map.<String, String>of()::get))
                .isEqualTo(PollPolicy.ofEmulator());
    }

    @Test
    void theEmulatorProfileAsksEverySecondWhereAwsWaitsMinutes() {
        assertThat(PollPolicy.ofEmulator()
                        .next("database.snapshot", java.time.Duration.ZERO, java.util.Optional.empty()))
                .isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(PollPolicy.ofDefaults()
                        .next("database.snapshot", java.time.Duration.ZERO, java.util.Optional.empty()))
                .isGreaterThan(java.time.Duration.ofSeconds(30));
    }
}
