package io.cutover.cli;

import io.cutover.event.Durations;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * A cutover as the live display shows it at {@code now}: a header, one row a step (state, elapsed and
 * expected time, progress), and the overall line (steps done, elapsed, ETA, the downtime clock). At most
 * {@code rows} lines: when the steps do not fit, finished and pending ones are folded into one line each.
 */
final class StepTable {
    private StepTable() {}

    static List<AttributedString> render(RunState s, Instant now, int rows, boolean color) {
        List<StepSpec> order = s.plan().inOrder();
        int idWidth = Math.min(
                28,
                Math.max(
                        4,
                        order.stream()
                                .mapToInt(x -> x.id().value().length())
                                .max()
                                .orElse(4)));
        String format = "%-" + idWidth + "s  %-19s %8s %8s  %s";
        List<AttributedString> out = new ArrayList<>();
        out.add(new AttributedString(
                String.format(format, "STEP", "STATE", "ELAPSED", "EXPECTED", "PROGRESS"),
                color ? AttributedStyle.BOLD : AttributedStyle.DEFAULT));

        List<StepSpec> shown = new ArrayList<>(order);
        int room = Math.max(3, rows - 3); // header, overall line, and the last event line
        int foldedDone = 0;
        int foldedPending = 0;
        while (shown.size() + (foldedDone > 0 ? 1 : 0) + (foldedPending > 0 ? 1 : 0) > room) {
            int i = firstWith(shown, s, true);
            if (i >= 0) {
                shown.remove(i);
                foldedDone++;
                continue;
            }
            int j = lastPending(shown, s);
            if (j < 0) {
                break;
            }
            shown.remove(j);
            foldedPending++;
        }
        if (foldedDone > 0) {
            out.add(new AttributedString("  ... " + foldedDone + " steps finished", dim(color)));
        }
        for (StepSpec spec : shown) {
            StepState st = s.steps().getOrDefault(spec.id().value(), StepState.pending());
            String elapsed = st.startedAt()
                    .map(a -> Durations.format(Duration.between(a, st.endedAt().orElse(now))))
                    .orElse("");
            String expected = st.status() == StepStatus.PENDING || st.status().settled()
                    ? ""
                    : Durations.format(Eta.expected(spec, st));
            if (expected.equals("0s")) { // a gate that waits for a person: no estimate
                expected = "";
            }
            String progress = st.error().orElse(st.progress());
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.append(String.format("%-" + idWidth + "s  ", spec.id().value()));
            b.style(color ? style(st.status()) : AttributedStyle.DEFAULT)
                    .append(String.format("%-19s", st.status().name()))
                    .style(AttributedStyle.DEFAULT);
            b.append(String.format(" %8s %8s  %s", elapsed, expected, progress.replace('\n', ' ')));
            out.add(b.toAttributedString());
        }
        if (foldedPending > 0) {
            out.add(new AttributedString("  ... " + foldedPending + " more steps to come", dim(color)));
        }
        out.add(overall(s, now, color));
        return out;
    }

    /** {@code [#####.....] 7/15 steps  elapsed 12m 03s  ETA 25m 10s  DOWNTIME 8s and counting}. */
    static AttributedString overall(RunState s, Instant now, boolean color) {
        int total = s.plan().steps().size();
        long done =
                s.steps().values().stream().filter(x -> x.status().settled()).count();
        int barWidth = 20;
        int filled = total == 0 ? barWidth : (int) (barWidth * done / total);
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append("[")
                .style(color ? AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN) : AttributedStyle.DEFAULT)
                .append("#".repeat(filled))
                .style(AttributedStyle.DEFAULT)
                .append(".".repeat(barWidth - filled))
                .append("] ")
                .append(done + "/" + total + " steps  " + s.status().name())
                .append("  elapsed " + Durations.format(Duration.between(s.createdAt(), end(s, now))));
        String eta = Eta.of(s, now).describe();
        if (!eta.isEmpty() && !s.status().terminal()) {
            b.append("  ").append(eta);
        }
        s.downtimeStartedAt().ifPresent(d -> {
            b.append("  ");
            if (s.downtimeEndedAt().isPresent()) {
                b.append("downtime "
                        + Durations.format(
                                Duration.between(d, s.downtimeEndedAt().get())) + " (ended)");
            } else {
                b.style(color ? AttributedStyle.BOLD.foreground(AttributedStyle.RED) : AttributedStyle.DEFAULT)
                        .append("DOWNTIME " + Durations.format(Duration.between(d, now)) + " and counting")
                        .style(AttributedStyle.DEFAULT);
            }
        });
        return b.toAttributedString();
    }

    private static Instant end(RunState s, Instant now) {
        return s.status().terminal() ? s.updatedAt() : now;
    }

    private static int firstWith(List<StepSpec> shown, RunState s, boolean settled) {
        for (int i = 0; i < shown.size(); i++) {
            StepState st = s.steps().get(shown.get(i).id().value());
            if (st != null && st.status().settled() == settled && st.status() != StepStatus.PENDING) {
                return i;
            }
        }
        return -1;
    }

    private static int lastPending(List<StepSpec> shown, RunState s) {
        for (int i = shown.size() - 1; i >= 0; i--) {
            StepState st = s.steps().get(shown.get(i).id().value());
            if (st == null || st.status() == StepStatus.PENDING) {
                return i;
            }
        }
        return -1;
    }

    private static AttributedStyle dim(boolean color) {
        return color ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT;
    }

    private static AttributedStyle style(StepStatus status) {
        return switch (status) {
            case SUCCEEDED, COMPENSATED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case FAILED, COMPENSATION_FAILED -> AttributedStyle.BOLD.foreground(AttributedStyle.RED);
            case WAITING -> AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
            case STARTING, RUNNING, COMPENSATING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            default -> AttributedStyle.DEFAULT;
        };
    }
}
