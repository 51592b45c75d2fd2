package io.cutover.step;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedMap;
import io.cutover.FailureType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What one call of a step returned. A step never waits: it returns {@link Pending} and the engine calls it
 * again at a time it chooses from the hint and the operation's expected duration.
 */
public sealed interface StepOutcome {
    /** The step finished; {@code outputs} are kept in the cutover's state for later steps. */
    record Done(Map<String, String> outputs) implements StepOutcome {
        public Done {
            outputs = ImmutableSortedMap.copyOf(outputs);
        }

        public static Done of() {
            return new Done(Map.of());
        }

        public static Done of(Map<String, String> outputs) {
            return new Done(outputs);
        }
    }

    /**
     * Not finished. {@code operation} names the kind of wait (e.g. {@code database.snapshot}) so the engine can
     * look up its expected duration; {@code retryAfter} is the step's own hint, if it has one; {@code memo}
     * holds what the step must remember across calls (and across a restart of the process), merged into the
     * saved state before the next call. {@code percent} is the progress the provider reports (a snapshot's
     * {@code PercentProgress}), so an operation past its time limit whose progress still rises goes on;
     * {@code expected} is the step's own estimate of the whole operation from what the provider reports (a
     * restore of a large database), used instead of the poll policy's typical figure.
     */
    record Pending(
            String operation,
            Optional<Duration> retryAfter,
            String progress,
            Map<String, String> memo,
            Optional<Integer> percent,
            Optional<Duration> expected)
            implements StepOutcome {
        public Pending {
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
            progress = progress == null ? "" : progress;
            memo = ImmutableSortedMap.copyOf(memo);
            percent = percent == null ? Optional.empty() : percent;
            expected = expected == null ? Optional.empty() : expected;
            percent.ifPresent(p -> Preconditions.checkArgument(p >= 0 && p <= 100, "percent %s is not 0..100", p));
            expected.ifPresent(
                    e -> Preconditions.checkArgument(!e.isNegative() && !e.isZero(), "expected %s is not positive", e));
        }

        public Pending(String operation, Optional<Duration> retryAfter, String progress, Map<String, String> memo) {
            this(operation, retryAfter, progress, memo, Optional.empty(), Optional.empty());
        }

        public static Pending of(String operation, String progress) {
            return new Pending(operation, Optional.empty(), progress, Map.of());
        }

        public static Pending of(String operation, String progress, Map<String, String> memo) {
            return new Pending(operation, Optional.empty(), progress, memo);
        }

        public static Pending after(Duration retryAfter, String operation, String progress) {
            return new Pending(operation, Optional.of(retryAfter), progress, Map.of());
        }

        public Pending withMemo(Map<String, String> more) {
            var merged = new java.util.HashMap<>(memo);
            merged.putAll(more);
            return new Pending(operation, retryAfter, progress, merged, percent, expected);
        }

        /** This outcome with the progress the provider reports, 0 to 100. */
        public Pending withPercent(int reported) {
            return new Pending(operation, retryAfter, progress, memo, Optional.of(reported), expected);
        }

        /** This outcome with the step's own estimate of the whole operation's duration. */
        public Pending withExpected(Duration estimate) {
            return new Pending(operation, retryAfter, progress, memo, percent, Optional.of(estimate));
        }
    }

    /** Waiting for a person: the engine asks again only after the gate is approved. */
    record AwaitingApproval(String prompt) implements StepOutcome {}

    /**
     * The step failed; the cutover compensates before the switch and moves users back after it. A failure
     * that is {@code retryable} is tried again by the engine (with backoff, as a throttled call is) before it
     * counts; one that is not fails the step at once. {@code memo} is what the step learnt in the call that
     * failed (the id of a snapshot it found, or took, before it found the reason to fail): it is saved with the
     * failure, so what the step created is reported. A retryable failure's memo is saved only if the retries run
     * out; a step names what it creates in an earlier {@link Pending} or in the failure that ends it.
     */
    record Failed(FailureType type, String reason, boolean retryable, Map<String, String> memo) implements StepOutcome {
        public Failed {
            Preconditions.checkNotNull(type, "type");
            Preconditions.checkNotNull(reason, "reason");
            memo = memo == null ? ImmutableSortedMap.of() : ImmutableSortedMap.copyOf(memo);
        }

        /** A failure that names nothing new for the step to remember. */
        public Failed(FailureType type, String reason, boolean retryable) {
            this(type, reason, retryable, Map.of());
        }

        /** A permanent failure: trying again will not help. */
        public Failed(String reason) {
            this(FailureType.PERMANENT, reason, false);
        }

        /** A failure of {@code type}, retryable when the type is. */
        public static Failed of(FailureType type, String reason) {
            return new Failed(type, reason, type.retryable());
        }

        /** This failure, with {@code more} to remember besides its memo. */
        public Failed withMemo(Map<String, String> more) {
            var merged = new java.util.HashMap<>(memo);
            merged.putAll(more);
            return new Failed(type, reason, retryable, merged);
        }
    }
}
