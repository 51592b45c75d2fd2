package io.cutover.engine;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * The one retry configuration of Cutover: the engine repeats every throttled or transiently failed provider
 * call (the AWS adapter and its SDK clients make each call once, so attempts never multiply). Waits grow
 * exponentially from {@code base} to {@code max}, with jitter; transient errors are repeated at most
 * {@code maxAttempts} times in a row before the step fails, throttling for up to {@code throttledAtMost} (an hour
 * by default: throttling asks the caller to slow down, not to give up; a step whose calls are refused that long
 * meets a limit below the calls it makes in a row, and fails naming it). The preflight's read-only checks of a cutover started with
 * {@code Engine.start} are repeated at once, up to {@code readAttempts} attempts ({@code Engine.submit}
 * instead backs off by this policy and takes its turn in the rate budget again).
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts, int readAttempts, Duration throttledAtMost) {
    /** How long a step's calls may be throttled without one getting through, by default. */
    public static final Duration THROTTLED_AT_MOST = Duration.ofHours(1);

    public RetryPolicy {
        Preconditions.checkArgument(
                !base.isNegative() && !base.isZero() && max.compareTo(base) >= 0,
                "retry waits need 0 < base <= max, was %s, %s",
                base,
                max);
        Preconditions.checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1, was %s", maxAttempts);
        Preconditions.checkArgument(readAttempts >= 1, "readAttempts must be at least 1, was %s", readAttempts);
        Preconditions.checkArgument(
                throttledAtMost != null && throttledAtMost.compareTo(max) >= 0,
                "throttledAtMost must be at least max (%s), was %s",
                max,
                throttledAtMost);
    }

    /** With throttling allowed for {@link #THROTTLED_AT_MOST}. */
    public RetryPolicy(Duration base, Duration max, int maxAttempts, int readAttempts) {
        this(base, max, maxAttempts, readAttempts, THROTTLED_AT_MOST);
    }

    /** The same, with throttling allowed for {@code d} before a step fails (at least {@link #max}). */
    public RetryPolicy withThrottledAtMost(Duration d) {
        return new RetryPolicy(base, max, maxAttempts, readAttempts, d);
    }

    /**
     * From 1 s to 1 min; 30 transient failures in a row fail a step, and an hour of throttling; preflight reads 5
     * attempts.
     */
    public static RetryPolicy ofDefaults() {
        return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1), 30, 5);
    }

    /** How long to wait before repeating a call that has failed {@code attempt} times in a row (0-based). */
    Duration delay(int attempt, double jitter) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 20));
        return Duration.ofMillis(Math.max(base.toMillis() / 2, (long) (cap * (0.5 + jitter / 2))));
    }
}
