package io.cutover.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The downtime table of the benchmarks, on the default latency model: every mode switches, none beats its floor,
 * and the rds-blue-green mode with a load-balancer switch ends its freeze in about a minute and a quarter, not the
 * ten minutes a stack update of green took to re-sync the data disk.
 */
class DowntimeModesTest {
    @Test
    void theDataDiskIsReSyncedByAnIncrementAndAReplacedVolumeNotAStackUpdate() {
        List<DowntimeModes.Figure> figures = DowntimeModes.measure(Latencies.ofDefaults(), RateLimits::ofAws);
        figures.forEach(f -> System.out.println(f.mode() + ": " + f.downtime().toSeconds() + " s, floor "
                + f.floor().toSeconds() + " s"));
        for (DowntimeModes.Figure f : figures) {
            assertThat(f.downtime()).as(f.mode()).isGreaterThanOrEqualTo(f.floor());
        }
        DowntimeModes.Figure lb = figures.stream()
                .filter(f -> f.mode().equals("rds-blue-green, load-balancer"))
                .findFirst()
                .orElseThrow();
        assertThat(lb.downtime()).isLessThan(Duration.ofMinutes(2));
    }
}
