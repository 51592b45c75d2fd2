package io.cutover.engine;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the operations of an account have taken, so the engine expects the next one of a kind to take about as
 * long: a snapshot observed in a rehearsal sets the expectation of the final one, and a fleet's canary wave
 * teaches the waves after it. Give several engines one store ({@code Engine.builder().durationEstimates(store)})
 * to share what they learn; each engine has its own in-memory store unless told otherwise.
 *
 * <p>The engine records an operation's duration when a poll finds it finished (as the middle between the last
 * poll that found it running and the one that found it done) and asks for the estimate each time it schedules a
 * poll. Implementations must be thread-safe.
 */
public interface DurationEstimates {
    /** What operations of this kind have taken so far, if any has been seen. */
    Optional<Estimate> estimate(String operation);

    /** An operation of this kind took {@code took}. */
    void observed(String operation, Duration took);

    /**
     * The durations seen, summarised as a lognormal distribution: {@code median} is their geometric mean,
     * {@code spread} the standard deviation of their natural logarithms (0 from one observation), of
     * {@code observations} operations.
     */
    record Estimate(Duration median, double spread, int observations) {
        public Estimate {
            Preconditions.checkArgument(
                    median != null && !median.isNegative() && !median.isZero(), "median %s is not positive", median);
            Preconditions.checkArgument(spread >= 0 && Double.isFinite(spread), "spread %s is not >= 0", spread);
            Preconditions.checkArgument(observations > 0, "observations %s is not positive", observations);
        }
    }

    /** An empty store kept in memory (thread-safe), for one engine or for engines that share it. */
    static DurationEstimates inMemory() {
        return new InMemory();
    }

    /** The in-memory store: per kind of operation, the count, sum and sum of squares of the logarithms. */
    final class InMemory implements DurationEstimates {
        private final Map<String, double[]> sums = new HashMap<>();

        private InMemory() {}

        @Override
        public synchronized Optional<Estimate> estimate(String operation) {
            double[] s = sums.get(operation);
            if (s == null) {
                return Optional.empty();
            }
            double n = s[0];
            double mean = s[1] / n;
            double variance = n < 2 ? 0 : Math.max(0, (s[2] - n * mean * mean) / (n - 1));
            long millis = Math.max(1, Math.round(Math.exp(mean)));
            return Optional.of(new Estimate(Duration.ofMillis(millis), Math.sqrt(variance), (int) n));
        }

        @Override
        public synchronized void observed(String operation, Duration took) {
            if (took.isNegative() || took.isZero()) {
                return; // an operation found done at its first look says nothing about how long it takes
            }
            double ln = Math.log(took.toMillis());
            double[] s = sums.computeIfAbsent(operation, k -> new double[3]);
            s[0]++;
            s[1] += ln;
            s[2] += ln * ln;
        }
    }
}
