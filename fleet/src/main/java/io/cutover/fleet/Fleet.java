package io.cutover.fleet;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded fleet file ({@link FleetFiles#load}): environments in the order they are upgraded, cut into
 * waves ({@code waveSizes} adds up to the number of environments), the failure threshold that stops the
 * fleet from starting new environments, and how many environments one process drives at once.
 */
public record Fleet(
        String id,
        Path path,
        List<FleetEnvironment> environments,
        List<Integer> waveSizes,
        FailureThreshold maxFailuresPerWave,
        int concurrency) {
    public Fleet {
        environments = ImmutableList.copyOf(environments);
        waveSizes = ImmutableList.copyOf(waveSizes);
        Preconditions.checkArgument(
                waveSizes.stream().mapToInt(Integer::intValue).sum() == environments.size(),
                "waves %s do not add up to the %s environments",
                waveSizes,
                environments.size());
        Preconditions.checkArgument(concurrency >= 1, "concurrency %s: give at least 1", concurrency);
    }

    public Optional<FleetEnvironment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public List<FleetEnvironment> wave(int index) {
        return environments.stream().filter(e -> e.wave() == index).toList();
    }

    /**
     * How many failures a wave may have before the fleet stops: a count, or a percentage of the wave's
     * size (rounded down). A wave with more failures (failed or rolled back) than this stops new starts.
     */
    public record FailureThreshold(int count, int percent) {
        public FailureThreshold {
            Preconditions.checkArgument(
                    count >= 0 && percent >= 0 && percent <= 100,
                    "maxFailuresPerWave: a count of 0 or more, or a percentage from 0%% to 100%%");
        }

        public static FailureThreshold ofCount(int count) {
            return new FailureThreshold(count, 0);
        }

        public static FailureThreshold ofPercent(int percent) {
            return new FailureThreshold(0, percent);
        }

        /** The failures a wave of {@code size} may have and go on. */
        public int allowed(int size) {
            return percent > 0 ? size * percent / 100 : count;
        }

        @Override
        public String toString() {
            return percent > 0 ? percent + "%" : Integer.toString(count);
        }
    }
}
