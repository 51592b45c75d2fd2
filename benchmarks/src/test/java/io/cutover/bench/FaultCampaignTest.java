package io.cutover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Three hundred seeded cutovers with random faults, crashes and resumes: every invariant holds after
 * every one (blue's data kept before it is deleted, DNS only ever at a verified green, nothing green made
 * left unreported, nothing created twice, one process writing the state). The command runs any number.
 */
class FaultCampaignTest {
    @Test
    void threeHundredSeedsOfFaultsAndCrashesBreakNoInvariant() {
        FaultCampaign.Summary s = FaultCampaign.run(1, 300, line -> {});

        assertThat(s.violating())
                .as("seeds that broke an invariant (replay each with FaultCampaign --seed N)")
                .extracting(r -> r.seed() + ": " + r.violations())
                .isEmpty();
        // The campaign must really exercise what it claims: crashes, resumes, rollbacks and completions.
        assertThat(s.crashes()).isGreaterThan(50);
        assertThat(s.resumes()).isGreaterThanOrEqualTo(s.crashes());
        assertThat(s.outcomes()).containsKeys("completed", "rolled back");
    }
}
