package io.cutover.cli;

import io.cutover.engine.Scheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import io.cutover.state.RunState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.utils.AttributedString;

/**
 * How a command shows a cutover while it runs: a live display on a terminal, plain log lines otherwise, or
 * JSON lines. Notes (a hook's output, what a simulation did in a person's place) are kept above the live
 * display, printed as lines, or sent to standard error beside JSON.
 */
interface Progress extends CutoverListener, AutoCloseable {
    /** A line of text that is not an event: printed and kept. */
    void note(String line);

    /** A line a hook's or check's command printed: above the live display, else on standard error. */
    void output(String line);

    /** Stops ticking; the live display's last frame stays on the screen, above what is printed next. */
    @Override
    void close();

    /**
     * The progress for {@code console}: JSON when asked, live when standard output is a terminal, else lines.
     * {@code ticks} drives the live display between events (the engine's clock); without it, the display is
     * redrawn on events only (a simulation, whose virtual time jumps).
     */
    static Progress of(Console console, Options.Output output, Supplier<RunState> state, Optional<Scheduler> ticks) {
        if (output == Options.Output.json) {
            return new Json(console.out(), console.err());
        }
        if (console.terminal().isPresent()) {
            return new Live(new Screen(console.terminal().get(), console.color()), console.color(), state, ticks);
        }
        return new Lines(console.out(), console.err());
    }

    /** {@code [+00:05:45] } before a line: the time since the first event. */
    static String stamp(Instant start, Instant at) {
        long s = Math.max(0, Duration.between(start, at).toSeconds());
        return String.format("[+%02d:%02d:%02d] ", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** One line an event, with the time since the cutover started. */
    final class Lines implements Progress {
        private final PrintWriter out;
        private final PrintWriter err;
        private Instant start;

        Lines(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public synchronized void output(String line) {
            err.println(line);
            err.flush();
        }

        @Override
        public synchronized void on(CutoverEvent e) {
            if (e instanceof CutoverEvent.StepProgressed) {
                return;
            }
            if (start == null) {
                start = e.at();
            }
            out.println(stamp(start, e.at()) + e.describe());
            out.flush();
        }

        @Override
        public synchronized void note(String line) {
            out.println(line);
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /** Events as JSON lines on standard output; notes to standard error. */
    final class Json implements Progress {
        private final PrintWriter out;
        private final PrintWriter err;

        Json(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public synchronized void on(CutoverEvent e) {
            JsonLines.print(out, JsonLines.event(e));
        }

        @Override
        public synchronized void note(String line) {
            err.println(line);
            err.flush();
        }

        @Override
        public void output(String line) {
            note(line);
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /**
     * The live display: events and notes printed as lines that stay, and below them the table of steps and the
     * overall line, redrawn on every event and every second.
     */
    final class Live implements Progress {
        private static final Duration TICK = Duration.ofSeconds(1);
        private final Screen screen;
        private final boolean color;
        private final Supplier<RunState> state;
        private final Optional<Scheduler> ticks;
        private Scheduler.Cancellable timer;
        private Instant start;
        private Instant lastEvent;
        private boolean closed;

        Live(Screen screen, boolean color, Supplier<RunState> state, Optional<Scheduler> ticks) {
            this.screen = screen;
            this.color = color;
            this.state = state;
            this.ticks = ticks;
            ticks.ifPresent(t -> timer = t.schedule(TICK, this::tick));
        }

        @Override
        public synchronized void on(CutoverEvent e) {
            if (closed) {
                return;
            }
            if (start == null) {
                start = e.at();
            }
            lastEvent = e.at();
            if (ticks.isEmpty() && e instanceof CutoverEvent.StepProgressed) {
                // a simulation: thousands of progress events (a bake checked every minute for days) in a second
                // of wall time; its table is redrawn on the events that change a step's state
                return;
            }
            List<AttributedString> above = e instanceof CutoverEvent.StepProgressed
                    ? List.of()
                    : List.of(new AttributedString(stamp(start, e.at()) + e.describe()));
            redraw(above);
        }

        @Override
        public synchronized void note(String line) {
            if (closed) {
                screen.draw(List.of(new AttributedString(line)), List.of());
                return;
            }
            redraw(List.of(new AttributedString(line)));
        }

        @Override
        public void output(String line) {
            note(line);
        }

        private synchronized void tick() {
            if (closed) {
                return;
            }
            redraw(List.of());
            timer = ticks.get().schedule(TICK, this::tick);
        }

        private Instant now() {
            if (ticks.isPresent()) {
                return ticks.get().now();
            }
            return lastEvent != null ? lastEvent : Instant.EPOCH;
        }

        private void redraw(List<AttributedString> above) {
            RunState s;
            try {
                s = state.get();
            } catch (RuntimeException ex) {
                s = null; // the state cannot be read just now: keep the last lines, draw the table next time
            }
            List<AttributedString> block = s == null ? List.of() : StepTable.render(s, now(), screen.height(), color);
            screen.draw(above, block);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            redraw(List.of());
            closed = true;
            screen.release();
        }
    }
}
