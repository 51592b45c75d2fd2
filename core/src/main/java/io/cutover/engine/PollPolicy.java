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
                        Map.entry(Operations.DATABASE_CLONE, Duration.ofMinutes(5)),
                        Map.entry(Operations.STACK_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_UPDATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_DELETE, Duration.ofMinutes(10)),
                        Map.entry(Operations.CHANGE_SET, Duration.ofSeconds(20)),
                        Map.entry(Operations.DNS_SYNC, Duration.ofSeconds(45)),
                        Map.entry(Operations.ADDRESS_MOVE, Duration.ofSeconds(5)),
                        Map.entry(Operations.FORWARD_SWITCH, Duration.ofSeconds(5)),
                        Map.entry(Operations.BLUE_GREEN_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.BLUE_GREEN_SWITCHOVER, Duration.ofMinutes(1)),
                        Map.entry(Operations.BLUE_GREEN_DELETE, Duration.ofMinutes(5)),
                        Map.entry(Operations.REPLICA_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.REPLICA_PROMOTE, Duration.ofMinutes(5)),
                        Map.entry(Operations.COMMAND_RUN, Duration.ofSeconds(30))),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                0.02,
                Duration.ofSeconds(1),
                Duration.ofSeconds(15));
    }

    /**
     * For an AWS emulator (moto, LocalStack), where every operation finishes at once: the first poll comes a
     * second after the submit and later ones every second, so a whole cutover takes about as long as its calls
     * and its own waits (TTLs, checks, bake). The time limits stay those of {@link #ofDefaults()}: an emulator
     * that hangs is failed as AWS would be.
     */
    public static PollPolicy ofEmulator() {
        PollPolicy aws = ofDefaults();
        Map<String, Duration> quick = new java.util.HashMap<>();
        aws.expected.keySet().forEach(op -> quick.put(op, Duration.ofSeconds(1)));
        return new PollPolicy(
                quick,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1.0,
                Duration.ofMillis(500),
                Duration.ofSeconds(1));
    }

    public PollPolicy withExpected(String operation, Duration d) {
        var m = new java.util.HashMap<>(expected);
        m.put(operation, d);
        return new PollPolicy(m, fallbackExpected, maxWait, lateFraction, minInterval, maxInterval);
    }

    /**
     * How long an operation may run before the step gives up on it, unless the plan sets its own limit
     * ({@code io.cutover.plan.TimeLimits}) or its progress still rises: four times its expected duration, and
     * at least half an hour. Only operations with an expected duration have one; waits, checks and hooks keep
     * their own clocks.
     */
    public Optional<Duration> timeout(String operation) {
        Duration e = expected.get(operation);
        if (e == null) {
            return Optional.empty();
        }
        return Optional.of(limitFor(e));
    }

    /** The limit of an operation expected to take {@code expected}: four times that, and at least half an hour. */
    public static Duration limitFor(Duration expected) {
        Duration four = expected.multipliedBy(4);
        return four.compareTo(Duration.ofMinutes(30)) < 0 ? Duration.ofMinutes(30) : four;
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
