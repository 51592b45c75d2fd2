package io.cutover.examples;

import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** Prints each event as a line, with the time elapsed since the cutover started (virtual or real). */
public final class ConsoleProgress implements CutoverListener {
    private final PrintStream out;
    private final boolean verbose;
    private Instant start;

    public ConsoleProgress(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public void on(CutoverEvent e) {
        if (start == null) {
            start = e.at();
        }
        if (!verbose && (e instanceof CutoverEvent.StepProgressed)) {
            return;
        }
        long s = Duration.between(start, e.at()).toSeconds();
        out.printf("[+%02d:%02d:%02d] %s%n", s / 3600, (s % 3600) / 60, s % 60, e.describe());
    }
}
