package io.cutover.simulator;

import java.time.Duration;

/**
 * How long one operation of the simulated cloud takes, asked each time the cloud schedules an operation's end: by
 * default the latency model's figure ({@link Latencies}), the same for every operation of a kind. A benchmark that
 * draws durations from a spread gives each operation its own ({@code SimulatedCloud.operationTimes}), so a
 * rehearsal's snapshot and the final one take different times.
 */
@FunctionalInterface
public interface OperationTimes {
    /**
     * @param latency the {@link Latencies} component that models the operation, e.g. {@code databaseSnapshot}
     * @param modelled that component's figure
     * @return how long this one operation takes (not negative)
     */
    Duration took(String latency, Duration modelled);

    /** Every operation takes the latency model's figure. */
    static OperationTimes modelled() {
        return (latency, modelled) -> modelled;
    }
}
