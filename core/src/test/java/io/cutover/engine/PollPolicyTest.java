package io.cutover.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.step.Operations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The learning poll policy in virtual time: each test plays an operation of a known true duration against the
 * policy's answers, as the engine would (one poll at each delay it gives), and checks what a user pays for: how late
 * the engine finds the operation done, and how many calls it makes, against an AWS SDK waiter's.
 */
class PollPolicyTest {
    private static final PollPolicy POLICY = PollPolicy.ofDefaults();

    /** What one wait cost: the polls after the submit and when the first poll found the operation done. */
    record Played(int polls, Duration foundAt, Duration took) {
        Duration late() {
            return foundAt.minus(took);
        }
    }

    /**
     * Plays an operation that takes {@code took}: the submit answers "running" at time zero, then each poll at the
     * delay the policy gives; {@code percent} is what the provider reports at a time (millis), or null for nothing.
     */
    private static Played play(
            String op, Duration took, Optional<DurationEstimates.Estimate> learned, LongFunction<Integer> percent) {
        long t = 0;
        int calls = 1; // the submit found it running
        Optional<Integer> reported = Optional.empty();
        for (int polls = 0; polls < 10_000; ) {
            t += POLICY.next(
                            new PollPolicy.Waiting(
                                    op, Duration.ofMillis(t), calls, reported, Optional.empty(), learned),
                            Optional.empty())
                    .toMillis();
            polls++;
            if (t >= took.toMillis()) {
                return new Played(polls, Duration.ofMillis(t), took);
            }
            calls++;
            reported = Optional.ofNullable(percent.apply(t));
        }
        throw new AssertionError("never found done");
    }

    private static Played play(String op, Duration took) {
        return play(op, took, Optional.empty(), t -> null);
    }

    /** The AWS SDK's waiter: polls at once after the submit, then every {@code delay}, until it finds it done. */
    private static int waiterPolls(Duration took, Duration delay) {
        return 1 + (int) Math.ceil((double) took.toMillis() / delay.toMillis());
    }

    /** As RDS reports a snapshot's PercentProgress: the share done so far, rounded down, below 100 until done. */
    private static LongFunction<Integer> linear(Duration took) {
        return t -> (int) Math.min(99, 100 * t / took.toMillis());
    }

    @Test
    void aSnapshotIsAskedAboutWhereItsReportedProgressPointsToAndFoundDoneWithinSeconds() {
        for (int minutes : List.of(2, 5, 9, 16, 40)) {
            Duration took = Duration.ofMinutes(minutes);
            Played p = play(Operations.DATABASE_SNAPSHOT, took, Optional.empty(), linear(took));

            // a whole percent of a long snapshot is longer than 10 s: found within one percent of its time
            Duration resolution = took.dividedBy(100);
            Duration bound = resolution.compareTo(Duration.ofSeconds(10)) > 0 ? resolution : Duration.ofSeconds(10);
            assertThat(p.late())
                    .as("%d-minute snapshot found done late by", minutes)
                    .isLessThanOrEqualTo(bound);
            assertThat(p.polls())
                    .as("polls of a %d-minute snapshot", minutes)
                    .isLessThanOrEqualTo(Math.min(10, waiterPolls(took, Duration.ofSeconds(30))));
        }
    }

    /** The durations at the 5th, 15th, ... 95th percentiles of a lognormal: a spread of operations as they come. */
    private static List<Duration> spreadAround(Duration median, double sigma) {
        List<Duration> out = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double z = Normal.quantile(0.05 + 0.1 * i);
            out.add(Duration.ofMillis(Math.round(median.toMillis() * Math.exp(sigma * z))));
        }
        return out;
    }

    /** Plays every duration; checks the polls of each against the waiter's, returns the mean lateness of both. */
    private static Duration[] lateness(String op, List<Duration> durations, Duration waiterDelay) {
        long late = 0;
        long waiterLate = 0;
        for (Duration took : durations) {
            Played p = play(op, took);
            assertThat(p.polls())
                    .as("polls of %s taking %s", op, took)
                    .isLessThanOrEqualTo(waiterPolls(took, waiterDelay));
            late += p.late().toMillis();
            long delay = waiterDelay.toMillis();
            waiterLate += (took.toMillis() + delay - 1) / delay * delay - took.toMillis();
        }
        return new Duration[] {
            Duration.ofMillis(late / durations.size()), Duration.ofMillis(waiterLate / durations.size())
        };
    }

    @Test
    void aDnsChangeIsFoundInSyncSoonerThanTheWaiterWouldWithNoMorePolls() {
        // changes as Route 53 makes them: about 45 s, seen from 30 to 90 s
        List<Duration> changes = spreadAround(Duration.ofSeconds(45), 0.3).stream()
                .map(d -> d.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : d)
                .toList();
        Duration[] late = lateness(Operations.DNS_SYNC, changes, Duration.ofSeconds(30));
        assertThat(late[0])
                .as("mean lateness, the waiter's %s", late[1])
                .isLessThan(late[1].multipliedBy(3).dividedBy(4));
    }

    @Test
    void aStackThatReportsNoProgressIsFoundDoneSoonerThanByTheWaiterWithNoMoreCalls() {
        // stacks of 15 minutes or so, p90 about 2.5 times that
        List<Duration> stacks = spreadAround(Duration.ofMinutes(15), 0.72);
        Duration[] late = lateness(Operations.STACK_CREATE, stacks, Duration.ofSeconds(30));
        assertThat(late[0]).as("mean lateness, the waiter's %s", late[1]).isLessThan(late[1]);
        // far slower than expected: found late by a small share of its time, with fewer polls than the waiter's
        for (Duration took :
                List.of(Duration.ofMinutes(50), Duration.ofMinutes(75).plusSeconds(7))) {
            Played p = play(Operations.STACK_CREATE, took);
            assertThat(p.late()).as("a stack of %s found done late by", took).isLessThanOrEqualTo(took.dividedBy(30));
            assertThat(p.polls()).isLessThan(waiterPolls(took, Duration.ofSeconds(30)) * 3 / 4);
        }
    }

    @Test
    void whatEarlierOperationsOfItsKindTookMovesTheExpectationAndTheStackIsFoundSooner() {
        // The policy expects 20 minutes of a stack; three stacks of this account took about 8.
        var learned = Optional.of(new DurationEstimates.Estimate(Duration.ofMinutes(8), 0.1, 3));
        PollPolicy.Belief b = POLICY.belief(Operations.STACK_CREATE, Optional.empty(), learned);
        // the policy's figure counts as one observation against three: nearer 8 than 20
        assertThat(b.median()).isBetween(Duration.ofMinutes(8), Duration.ofMinutes(11));

        Duration took = Duration.ofMinutes(8).plusSeconds(20);
        Played naive = play(Operations.STACK_CREATE, took);
        Played taught = play(Operations.STACK_CREATE, took, learned, t -> null);
        assertThat(taught.late()).isLessThan(naive.late());
        assertThat(taught.late()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aSlowStackIsGivenUntilTheFarTailOfItsExpectationWhileASnapshotKeepsItsLimitAndGoesOnWhileItMoves() {
        PollPolicy.Belief stack = POLICY.belief(Operations.STACK_CREATE, Optional.empty(), Optional.empty());
        // an SDK waiter gives a stack an hour; four times the expected 20 minutes would be 80 minutes
        assertThat(POLICY.limit(Operations.STACK_CREATE, stack, false)).isGreaterThan(Duration.ofHours(2));
        PollPolicy.Belief snap =
                POLICY.belief(Operations.DATABASE_SNAPSHOT, Optional.of(Duration.ofMinutes(7)), Optional.empty());
        assertThat(POLICY.limit(Operations.DATABASE_SNAPSHOT, snap, true)).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void theStoreSummarisesWhatItSawAndIgnoresOperationsFoundDoneAtOnce() {
        DurationEstimates store = DurationEstimates.inMemory();
        assertThat(store.estimate(Operations.STACK_CREATE)).isEmpty();
        store.observed(Operations.STACK_CREATE, Duration.ofMinutes(4));
        store.observed(Operations.STACK_CREATE, Duration.ofMinutes(16));
        store.observed(Operations.STACK_CREATE, Duration.ZERO);

        DurationEstimates.Estimate e = store.estimate(Operations.STACK_CREATE).orElseThrow();
        assertThat(e.observations()).isEqualTo(2);
        assertThat(e.median()).isEqualTo(Duration.ofMinutes(8)); // the geometric mean of 4 and 16
        assertThat(e.spread()).isCloseTo(Math.log(4) / Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(store.estimate(Operations.DNS_SYNC)).isEmpty();
    }
}
