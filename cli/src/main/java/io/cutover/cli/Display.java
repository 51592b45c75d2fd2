package io.cutover.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.engine.PollPolicy;
import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import io.cutover.event.Durations;
import io.cutover.state.RunState;
import io.cutover.state.StateCodec;
import io.cutover.state.StepState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** How a command shows a cutover: a live table on a terminal, log lines otherwise, or JSON lines. */
final class Display {
    private Display() {}

    static CutoverListener of(Options.Output output, PrintWriter out, Supplier<RunState> state) {
        if (output == Options.Output.json) {
            return new Json(out);
        }
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new Live(out, state) : new Lines(out);
    }

    /** One line an event, with the time since the cutover started. */
    static final class Lines implements CutoverListener {
        private final PrintWriter out;
        private Instant start;

        Lines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void on(CutoverEvent e) {
            if (e instanceof CutoverEvent.StepProgressed) {
                return;
            }
            if (start == null) {
                start = e.at();
            }
            long s = Duration.between(start, e.at()).toSeconds();
            out.printf("[+%02d:%02d:%02d] %s%n", s / 3600, (s % 3600) / 60, s % 60, e.describe());
            out.flush();
        }
    }

    /** Events as JSON lines: the event's fields and its {@code type}. */
    static final class Json implements CutoverListener {
        private final PrintWriter out;
        private final ObjectMapper mapper =
                StateCodec.mapper().copy().disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

        Json(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void on(CutoverEvent e) {
            ObjectNode node = mapper.valueToTree(e);
            node.put("type", e.getClass().getSimpleName());
            node.put("message", e.describe());
            out.println(node);
            out.flush();
        }
    }

    /**
     * A table of steps, redrawn in place: each step with its state, elapsed and expected time, and the
     * downtime clock while writes are frozen.
     */
    static final class Live implements CutoverListener {
        private final PrintWriter out;
        private final Supplier<RunState> state;
        private final PollPolicy policy = PollPolicy.ofDefaults();
        private int drawn;
        private String last = "";

        Live(PrintWriter out, Supplier<RunState> state) {
            this.out = out;
            this.state = state;
        }

        @Override
        public synchronized void on(CutoverEvent e) {
            RunState s;
            try {
                s = state.get();
            } catch (RuntimeException ex) {
                return;
            }
            if (s == null) {
                return;
            }
            if (!(e instanceof CutoverEvent.StepProgressed)) {
                last = e.describe();
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-28s %-13s %9s %9s  %s%n", "STEP", "STATE", "ELAPSED", "EXPECTED", "PROGRESS"));
            for (Map.Entry<String, StepState> st : s.steps().entrySet()) {
                StepState v = st.getValue();
                String elapsed = v.startedAt()
                        .map(a ->
                                Durations.format(Duration.between(a, v.endedAt().orElse(e.at()))))
                        .orElse("");
                String expected = v.waitingOn()
                        .map(w -> Durations.format(policy.expected(w.operation())))
                        .orElse("");
                String progress = v.progress().length() > 60 ? v.progress().substring(0, 57) + "..." : v.progress();
                sb.append(String.format(
                        "%-28s %-13s %9s %9s  %s%n", st.getKey(), v.status(), elapsed, expected, progress));
            }
            s.downtimeStartedAt()
                    .ifPresent(d -> sb.append(
                            s.downtimeEndedAt().isPresent()
                                    ? "downtime: "
                                            + Durations.format(Duration.between(
                                                    d, s.downtimeEndedAt().get())) + " (ended)\n"
                                    : "DOWNTIME: " + Durations.format(Duration.between(d, e.at()))
                                            + " and counting\n"));
            sb.append(last).append('\n');
            if (drawn > 0) {
                out.print("\033[" + drawn + "A\033[J");
            }
            String text = sb.toString();
            out.print(text);
            out.flush();
            drawn = (int) text.chars().filter(c -> c == '\n').count();
        }
    }
}
