package io.cutover.step;

import com.google.common.collect.ImmutableSortedMap;
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
     * saved state before the next call.
     */
    record Pending(String operation, Optional<Duration> retryAfter, String progress, Map<String, String> memo)
            implements StepOutcome {
        public Pending {
            retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
            progress = progress == null ? "" : progress;
            memo = ImmutableSortedMap.copyOf(memo);
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
            return new Pending(operation, retryAfter, progress, merged);
        }
    }

    /** Waiting for a person: the engine asks again only after the gate is approved. */
    record AwaitingApproval(String prompt) implements StepOutcome {}

    /** The step failed; the cutover compensates before the switch and moves users back after it. */
    record Failed(String reason) implements StepOutcome {}
}
