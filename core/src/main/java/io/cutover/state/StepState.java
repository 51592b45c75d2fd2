package io.cutover.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.collect.ImmutableSortedMap;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One step's saved state: its status, when it started and ended, its outputs, what it must remember
 * across calls ({@code memo}: ids of what it created, the phase it is in), and its last progress or error.
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
        int calls) {
    public StepState {
        startedAt = startedAt == null ? Optional.empty() : startedAt;
        endedAt = endedAt == null ? Optional.empty() : endedAt;
        outputs = outputs == null ? Map.of() : ImmutableSortedMap.copyOf(outputs);
        memo = memo == null ? Map.of() : ImmutableSortedMap.copyOf(memo);
        progress = progress == null ? "" : progress;
        error = error == null ? Optional.empty() : error;
    }

    public static StepState pending() {
        return new StepState(
                StepStatus.PENDING, Optional.empty(), Optional.empty(), Map.of(), Map.of(), "", Optional.empty(), 0);
    }

    public StepState withStatus(StepStatus s) {
        return new StepState(s, startedAt, endedAt, outputs, memo, progress, error, calls);
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
                calls);
    }

    public StepState ended(StepStatus s, Instant at) {
        return new StepState(s, startedAt, Optional.of(at), outputs, memo, progress, error, calls);
    }

    public StepState withOutputs(Map<String, String> out) {
        return new StepState(status, startedAt, endedAt, out, memo, progress, error, calls);
    }

    public StepState withMemo(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new HashMap<>(memo);
        merged.putAll(more);
        return new StepState(status, startedAt, endedAt, outputs, merged, progress, error, calls);
    }

    public StepState withProgress(String p) {
        return new StepState(status, startedAt, endedAt, outputs, memo, p, error, calls);
    }

    public StepState withError(String e) {
        return new StepState(status, startedAt, endedAt, outputs, memo, progress, Optional.ofNullable(e), calls);
    }

    public StepState called() {
        return new StepState(status, startedAt, endedAt, outputs, memo, progress, error, calls + 1);
    }
}
