package io.cutover.engine;

import com.google.common.collect.ImmutableMap;
import io.cutover.step.Operations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When the engine asks again about an operation that is not finished. Before the operation's expected
 * duration has passed, it waits until then (at most {@code maxWait} at a time, so a wrong expectation
 * costs little); after it, it asks every {@code lateFraction} of the expected duration, bounded by
 * {@code minInterval} and {@code maxInterval}. A step's own hint, when it gives one, decides.
 *
 * @param expected the expected duration by operation name, e.g. {@code database.snapshot}
 */
public record PollPolicy(
        Map<String, Duration> expected,
        Duration fallbackExpected,
        Duration maxWait,
        double lateFraction,
        Duration minInterval,
        Duration maxInterval) {
    public PollPolicy {
        expected = ImmutableMap.copyOf(expected);
    }

    /**
     * Expectations from AWS's documented and commonly reported durations; benchmarks and users can set
     * their own measured ones with {@link #withExpected}.
     */
    public static PollPolicy ofDefaults() {
        return new PollPolicy(
                Map.ofEntries(
                        Map.entry(Operations.DATABASE_SNAPSHOT, Duration.ofMinutes(5)),
                        Map.entry(Operations.VOLUME_SNAPSHOT, Duration.ofMinutes(3)),
                        Map.entry(Operations.DATABASE_RESTORE, Duration.ofMinutes(15)),
                        Map.entry(Operations.DATABASE_DELETE, Duration.ofMinutes(5)),
                        Map.entry(Operations.STACK_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_UPDATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_DELETE, Duration.ofMinutes(10)),
                        Map.entry(Operations.CHANGE_SET, Duration.ofSeconds(20)),
                        Map.entry(Operations.DNS_SYNC, Duration.ofSeconds(45)),
                        Map.entry(Operations.ADDRESS_MOVE, Duration.ofSeconds(5))),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                0.02,
                Duration.ofSeconds(1),
                Duration.ofSeconds(15));
    }

    /**
     * For an AWS emulator (moto, LocalStack), where every operation completes at once: each is expected to take
     * 300 ms and is asked about again every 200 ms to 1 s, so a whole cutover takes seconds, not the minutes
     * {@link #ofDefaults()} would wait for AWS. A step's own hint (a check interval, a TTL to wait out) still
     * decides. Not for AWS itself: it would spend the account's rate limits on describe calls.
     */
    public static PollPolicy ofEmulator() {
        Duration instant = Duration.ofMillis(300);
        var expected = new java.util.HashMap<String, Duration>();
        ofDefaults().expected().keySet().forEach(operation -> expected.put(operation, instant));
        return new PollPolicy(
                expected, instant, Duration.ofSeconds(1), 0.02, Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    public PollPolicy withExpected(String operation, Duration d) {
        var m = new java.util.HashMap<>(expected);
        m.put(operation, d);
        return new PollPolicy(m, fallbackExpected, maxWait, lateFraction, minInterval, maxInterval);
    }

    /**
     * How long an operation may run before the step gives up on it: four times its expected duration, and
     * at least half an hour. Only operations with an expected duration have one; waits, checks and hooks keep
     * their own clocks.
     */
    public Optional<Duration> timeout(String operation) {
        Duration e = expected.get(operation);
        if (e == null) {
            return Optional.empty();
        }
        Duration four = e.multipliedBy(4);
        return Optional.of(four.compareTo(Duration.ofMinutes(30)) < 0 ? Duration.ofMinutes(30) : four);
    }

    public Duration expected(String operation) {
        return expected.getOrDefault(operation, fallbackExpected);
    }

    /** The delay before the next poll of an operation that has been running for {@code elapsed}. */
    public Duration next(String operation, Duration elapsed, Optional<Duration> hint) {
        if (hint.isPresent()) {
            // The step knows its own rhythm (a check interval, a TTL to wait out).
            return hint.get();
        }
        Duration exp = expected(operation);
        Duration delay;
        if (elapsed.compareTo(exp) < 0) {
            delay = min(exp.minus(elapsed), maxWait);
        } else {
            Duration late = Duration.ofMillis((long) (exp.toMillis() * lateFraction));
            delay = max(minInterval, min(late, maxInterval));
        }
        return delay;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
