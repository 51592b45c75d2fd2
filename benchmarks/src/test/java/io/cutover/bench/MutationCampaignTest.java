package io.cutover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The short campaign that drives mutation testing ({@code -Pmutation}, see the README): the first
 * {@code cutover.mutation.seeds} seeds, every invariant holding. Runs only when that property is set, so it
 * costs the ordinary build nothing ({@link FaultCampaignTest} is the build's campaign).
 */
class MutationCampaignTest {
    @Test
    @EnabledIfSystemProperty(named = "cutover.mutation.seeds", matches = "[0-9]+")
    void aShortCampaignBreaksNoInvariant() {
        int seeds = Integer.parseInt(System.getProperty("cutover.mutation.seeds"));
        FaultCampaign.Summary s = FaultCampaign.run(1, seeds, line -> {});

        assertThat(s.violating())
                .extracting(r -> r.seed() + ": " + r.violations())
                .isEmpty();
    }
}
