package io.cutover.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.collect.ImmutableSortedMap;
import io.cutover.FailureType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step's saved state: its status, when it started and ended, its outputs, what the step must remember
 * across calls ({@code memo}: ids of what it created, the phase it is in; the step's own keys only), its last
 * progress or error, and the engine's own bookkeeping: the operation the step waits on and since when
 * ({@code waitingOn}, for the poll rhythm and the timeout) and the type of its failure.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record StepState(
        StepStatus status,
        Optional<Instant> startedAt,
        Optional<Instant> endedAt,
        Map<String, String> outputs,
        Map<String, String> memo,
        String progress,
        Optional<String> error,
        Optional<FailureType> errorType,
        Optional<Wait> waitingOn,
        int calls) {
    public StepState {
        Objects.requireNonNull(status, "status");
        startedAt = startedAt == null ? Optional.empty() : startedAt;
        endedAt = endedAt == null ? Optional.empty() : endedAt;
        outputs = outputs == null ? Map.of() : ImmutableSortedMap.copyOf(outputs);
        memo = memo == null ? Map.of() : ImmutableSortedMap.copyOf(memo);
        progress = progress == null ? "" : progress;
        error = error == null ? Optional.empty() : error;
        errorType = errorType == null ? Optional.empty() : errorType;
        waitingOn = waitingOn == null ? Optional.empty() : waitingOn;
    }

    /**
     * The long operation a step waits on (a key of the engine's poll policy) and since when; where the provider
     * reports progress (a snapshot's percent), the last figure and when it last rose, so that an operation still
     * moving past its time limit is not failed.
     */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Wait(String operation, Instant since, Optional<Integer> percent, Optional<Instant> advancedAt) {
        public Wait {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(since, "since");
            percent = percent == null ? Optional.empty() : percent;
            advancedAt = advancedAt == null ? Optional.empty() : advancedAt;
        }

        public Wait(String operation, Instant since) {
            this(operation, since, Optional.empty(), Optional.empty());
        }

        /** Whether {@code reported} is further than the last figure (the first figure counts as moving). */
        public boolean advancedBy(Optional<Integer> reported) {
            return reported.isPresent() && (percent.isEmpty() || reported.get() > percent.get());
        }

        /** This wait with the provider's latest figure; {@code advancedAt} moves only when it rose. */
        public Wait reported(Optional<Integer> reported, Instant now) {
            return advancedBy(reported) ? new Wait(operation, since, reported, Optional.of(now)) : this;
        }
    }

    public static StepState pending() {
        return new StepState(
                StepStatus.PENDING,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Map.of(),
                "",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0);
    }

    public StepState withStatus(StepStatus s) {
        return new StepState(s, startedAt, endedAt, outputs, memo, progress, error, errorType, waitingOn, calls);
    }

    public StepState started(Instant at) {
        return new StepState(
                StepStatus.STARTING,
                Optional.of(at),
                Optional.empty(),
                outputs,
                memo,
                progress,
                Optional.empty(),
                Optional.empty(),
                waitingOn,
                calls);
    }

    public StepState ended(StepStatus s, Instant at) {
        return new StepState(
                s, startedAt, Optional.of(at), outputs, memo, progress, error, errorType, waitingOn, calls);
    }

    public StepState withOutputs(Map<String, String> out) {
        return new StepState(status, startedAt, endedAt, out, memo, progress, error, errorType, waitingOn, calls);
    }

    public StepState withMemo(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new HashMap<>(memo);
        merged.putAll(more);
        return new StepState(status, startedAt, endedAt, outputs, merged, progress, error, errorType, waitingOn, calls);
    }

    public StepState withProgress(String p) {
        return new StepState(status, startedAt, endedAt, outputs, memo, p, error, errorType, waitingOn, calls);
    }

    public StepState withError(FailureType type, String e) {
        return new StepState(
                status,
                startedAt,
                endedAt,
                outputs,
                memo,
                progress,
                Optional.of(e),
                Optional.of(type),
                waitingOn,
                calls);
    }

    /** Waits on {@code operation}: since {@code now} if it is a new one, since it began if it is the same. */
    public StepState waitingOn(String operation, Instant now) {
        return waitingOn(operation, Optional.empty(), now);
    }

    /**
     * Waits on {@code operation}, as {@link #waitingOn(String, Instant)}, and records the progress the provider
     * reported ({@code percent}) when it rose.
     */
    public StepState waitingOn(String operation, Optional<Integer> percent, Instant now) {
        if (waitingOn.isPresent() && waitingOn.get().operation().equals(operation)) {
            Wait w = waitingOn.get().reported(percent, now);
            return w.equals(waitingOn.get())
                    ? this
                    : new StepState(
                            status,
                            startedAt,
                            endedAt,
                            outputs,
                            memo,
                            progress,
                            error,
                            errorType,
                            Optional.of(w),
                            calls);
        }
        return new StepState(
                status,
                startedAt,
                endedAt,
                outputs,
                memo,
                progress,
                error,
                errorType,
                Optional.of(new Wait(operation, now).reported(percent, now)),
                calls);
    }

    public StepState called() {
        return new StepState(
                status, startedAt, endedAt, outputs, memo, progress, error, errorType, waitingOn, calls + 1);
    }
}
