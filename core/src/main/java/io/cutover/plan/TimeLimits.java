package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.collect.ImmutableSortedMap;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long a plan's AWS operations (a snapshot, a restore, a stack create or update, a DNS change) may run
 * before their step fails: {@code operationTimeout} for every step, {@code steps} for one step by id (the
 * step's own {@code timeout:} in a plan file). Without either, a limit scales with the operation's expected
 * duration (the engine's {@code PollPolicy}, or the step's estimate from the sizes AWS reports). In every case
 * an operation whose progress, as AWS reports it (a snapshot's percent), still rises is not failed: it fails
 * once its progress has not moved for longer than its limit.
 *
 * <p>A limit is at least {@link #MIN} and at most {@link #MAX}; the plan's validation names a limit outside
 * these bounds. Hook commands, checks, approvals and bake keep their own clocks.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TimeLimits(Optional<Duration> operationTimeout, Map<StepId, Duration> steps) {
    /** The shortest limit: AWS's fastest operations (a change set, a DNS change) take up to a minute. */
    public static final Duration MIN = Duration.ofMinutes(1);
    /** The longest limit: a week; past that, a person should look rather than the cutover wait. */
    public static final Duration MAX = Duration.ofDays(7);

    public TimeLimits {
        operationTimeout = operationTimeout == null ? Optional.empty() : operationTimeout;
        steps = steps == null ? Map.of() : ImmutableSortedMap.copyOf(steps);
    }

    /** No limits of the plan's own: each operation's scales with what it is. */
    public static TimeLimits ofDefaults() {
        return new TimeLimits(Optional.empty(), Map.of());
    }

    /** These limits with {@code limit} for every operation that has no step limit. */
    public TimeLimits operationTimeout(Duration limit) {
        return new TimeLimits(Optional.of(limit), steps);
    }

    /** These limits with {@code limit} for the operations of step {@code id}. */
    public TimeLimits step(String id, Duration limit) {
        var m = new java.util.HashMap<>(steps);
        m.put(StepId.of(id), limit);
        return new TimeLimits(operationTimeout, m);
    }

    /** The plan's limit for an operation of step {@code id}, if it sets one (the step's, else the plan's). */
    public Optional<Duration> of(StepId id) {
        return Optional.ofNullable(steps.get(id)).or(() -> operationTimeout);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return operationTimeout.isEmpty() && steps.isEmpty();
    }

    /** A limit as a plan file writes it: {@code 90s}, {@code 45m}, {@code 6h}, {@code 2d}. */
    public static String describe(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Whether {@code d} is within {@link #MIN} and {@link #MAX}. */
    public static boolean inBounds(Duration d) {
        return d.compareTo(MIN) >= 0 && d.compareTo(MAX) <= 0;
    }
}
