package io.cutover.aws;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;

/**
 * How the adapter repeats a call that failed with throttling or a transient fault: up to {@code maxAttempts}
 * attempts in all, waiting an exponentially growing, randomised interval between them (the first about
 * {@code initialBackoff}, each next one {@code multiplier} times longer, each varied by ±{@code jitter}).
 *
 * <p>Keep it short: the engine schedules the next poll of a long operation itself, so these retries only
 * smooth over a blip. The clients that {@link AwsClients} builds make at most two attempts of their own (see
 * there), so a call reaches AWS at most {@code 2 * maxAttempts} times.
 */
public record AwsRetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, double jitter) {
    public AwsRetryPolicy {
        checkArgument(maxAttempts >= 1, "maxAttempts must be at least 1, was %s", maxAttempts);
        checkArgument(
                !initialBackoff.isNegative() && !initialBackoff.isZero(),
                "initialBackoff must be positive, was %s",
                initialBackoff);
        checkArgument(multiplier >= 1.0, "multiplier must be at least 1.0, was %s", multiplier);
        checkArgument(jitter >= 0.0 && jitter < 1.0, "jitter must be in [0, 1), was %s", jitter);
    }

    /** Three attempts, 500 ms then about 1 s apart, ±50%. */
    public static AwsRetryPolicy ofDefaults() {
        return new AwsRetryPolicy(3, Duration.ofMillis(500), 2.0, 0.5);
    }

    /** One attempt: failures go straight to the engine, which decides when to try again. */
    public static AwsRetryPolicy none() {
        return new AwsRetryPolicy(1, Duration.ofMillis(1), 1.0, 0.0);
    }

    public AwsRetryPolicy withMaxAttempts(int newMaxAttempts) {
        return new AwsRetryPolicy(newMaxAttempts, initialBackoff, multiplier, jitter);
    }

    public AwsRetryPolicy withInitialBackoff(Duration newInitialBackoff) {
        return new AwsRetryPolicy(maxAttempts, newInitialBackoff, multiplier, jitter);
    }
}
