package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulingTest {
    @Test
    void virtualTimeRunsTasksInTimeOrderAndJumpsTheClock() {
        VirtualScheduler s = VirtualScheduler.startingAt(Instant.EPOCH);
        List<String> seen = new ArrayList<>();
        s.schedule(Duration.ofMinutes(10), () -> seen.add("b@" + s.now().getEpochSecond()));
        s.schedule(Duration.ofMinutes(1), () -> {
            seen.add("a@" + s.now().getEpochSecond());
            s.schedule(Duration.ofMinutes(20), () -> seen.add("c@" + s.now().getEpochSecond()));
        });
        s.runUntilIdle();
        assertThat(seen).containsExactly("a@60", "b@600", "c@1260");
    }

    @Test
    void aKilledScopeRunsNothingMore() {
        VirtualScheduler s = VirtualScheduler.startingAt(Instant.EPOCH);
        VirtualScheduler.Scope process = s.scope();
        List<String> seen = new ArrayList<>();
        process.schedule(Duration.ofSeconds(1), () -> seen.add("dead"));
        s.schedule(Duration.ofSeconds(2), () -> seen.add("alive"));
        process.kill();
        s.runUntilIdle();
        assertThat(seen).containsExactly("alive");
    }

    @Test
    void withoutABudgetPollsWaitForTheExpectedDurationThenComeOften() {
        // The six-figure policy (no spreads, no call budgets) keeps the fixed schedule.
        PollPolicy d = PollPolicy.ofDefaults();
        PollPolicy p = new PollPolicy(
                d.expected(), d.fallbackExpected(), d.maxWait(), d.lateFraction(), d.minInterval(), d.maxInterval());
        // A 5-minute snapshot is first asked about when it should be done, then every 6 s.
        assertThat(p.next("database.snapshot", Duration.ZERO, Optional.empty())).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.next("database.snapshot", Duration.ofMinutes(5), Optional.empty()))
                .isEqualTo(Duration.ofSeconds(6));
        // A 20-minute stack is asked about every 5 minutes at most before then, every 15 s at most after.
        assertThat(p.next("stack.create", Duration.ofMinutes(1), Optional.empty()))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(p.next("stack.create", Duration.ofMinutes(30), Optional.empty()))
                .isEqualTo(Duration.ofSeconds(15));
        // A step's own hint decides.
        assertThat(p.next("check", Duration.ZERO, Optional.of(Duration.ofSeconds(15))))
                .isEqualTo(Duration.ofSeconds(15));
    }
}
