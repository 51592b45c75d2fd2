package io.cutover.event;

import java.time.Duration;

/** Durations as people read them: {@code 42s}, {@code 5m 03s}, {@code 1h 02m}. */
public final class Durations {
    private Durations() {}

    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
