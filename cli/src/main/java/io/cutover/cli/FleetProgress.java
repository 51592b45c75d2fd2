package io.cutover.cli;

import io.cutover.engine.Scheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import io.cutover.event.Durations;
import io.cutover.fleet.Fleet;
import io.cutover.fleet.FleetEnvironment;
import io.cutover.fleet.FleetSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * How {@code fleet run} shows a fleet: on a terminal, a table of waves (how many environments of each are done,
 * running, failed, waiting, not started), the environments running now with their current step, and an overall
 * line, redrawn on events and every second; lines for starts and ends otherwise; every event as a JSON line
 * with {@code --output json}.
 */
final class FleetProgress implements AutoCloseable {
    private static final Duration TICK = Duration.ofSeconds(1);

    private final Fleet fleet;
    private final Options.Output output;
    private final Console console;
    private final Optional<Screen> screen;
    private final Optional<Scheduler> ticks;
    private final Map<String, Env> byRun = new LinkedHashMap<>();
    private Scheduler.Cancellable timer;
    private Instant start;
    private Instant last;
    private boolean closed;

    /** What the display knows of one environment, from its events. */
    private static final class Env {
        final FleetEnvironment environment;
        FleetSummary.State state = FleetSummary.State.NOT_STARTED;
        Instant startedAt;
        String step = "";

        Env(FleetEnvironment environment) {
            this.environment = environment;
        }
    }

    FleetProgress(Console console, Options.Output output, Fleet fleet, Optional<Scheduler> ticks) {
        this.fleet = fleet;
        this.output = output;
        this.console = console;
        this.ticks = ticks;
        this.screen = output == Options.Output.json
                ? Optional.empty()
                : console.terminal().map(t -> new Screen(t, console.color()));
        fleet.environments().forEach(e -> byRun.put(e.runId(), new Env(e)));
        if (screen.isPresent()) {
            ticks.ifPresent(t -> timer = t.schedule(TICK, this::tick));
        }
    }

    /** The listener of one environment's engine. */
    CutoverListener listener() {
        return this::on;
    }

    /** A line that is not an event: above the display, or on standard error beside JSON. */
    synchronized void note(String line) {
        if (output == Options.Output.json) {
            console.err().println(line);
            console.err().flush();
        } else if (screen.isPresent() && !closed) {
            redraw(List.of(new AttributedString(line)));
        } else {
            console.out().println(line);
            console.out().flush();
        }
    }

    private synchronized void on(CutoverEvent e) {
        if (output == Options.Output.json) {
            JsonLines.print(console.out(), JsonLines.event(e));
            return;
        }
        if (closed) {
            return;
        }
        if (start == null) {
            start = e.at();
        }
        last = e.at();
        Env env = byRun.get(e.runId());
        String line = env == null ? null : apply(env, e);
        if (screen.isPresent()) {
            if (line == null && ticks.isEmpty() && !(e instanceof CutoverEvent.StepStarted)) {
                return; // a simulation: redrawn on the events that change what the view shows
            }
            redraw(line == null ? List.of() : List.of(new AttributedString(Progress.stamp(start, e.at()) + line)));
        } else if (line != null) {
            console.out().println(Progress.stamp(start, e.at()) + line);
            console.out().flush();
        }
    }

    /** Updates what is known of the environment; the line to keep, if the event is one a person follows. */
    private static String apply(Env env, CutoverEvent e) {
        String who = "wave " + (env.environment.wave() + 1) + " " + env.environment.name() + ": ";
        if (e instanceof CutoverEvent.RunStarted || e instanceof CutoverEvent.RunResumed) {
            env.state = FleetSummary.State.RUNNING;
            env.startedAt = env.startedAt == null ? e.at() : env.startedAt;
            return who + (e instanceof CutoverEvent.RunStarted ? "started" : "resumed");
        }
        if (e instanceof CutoverEvent.StepStarted s) {
            env.step = s.step().value();
            return null;
        }
        if (e instanceof CutoverEvent.GateWaiting) {
            env.state = FleetSummary.State.WAITING;
            return who + e.describe();
        }
        if (e instanceof CutoverEvent.GateApproved) {
            env.state = FleetSummary.State.RUNNING;
            return null;
        }
        if (e instanceof CutoverEvent.StepFailed || e instanceof CutoverEvent.RollbackStarted) {
            return who + e.describe();
        }
        if (e instanceof CutoverEvent.RunSettled s) {
            env.state = switch (s.status().toUpperCase(java.util.Locale.ROOT)) {
                case "COMPLETED" -> FleetSummary.State.DONE;
                case "ROLLED_BACK" -> FleetSummary.State.ROLLED_BACK;
                case "WAITING" -> FleetSummary.State.WAITING;
                case "FAILED" -> FleetSummary.State.FAILED;
                default -> env.state;
            };
            env.step = "";
            Instant from = env.startedAt == null ? s.at() : env.startedAt;
            return who + s.status() + " after " + Durations.format(Duration.between(from, s.at()));
        }
        return null;
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        redraw(List.of());
        timer = ticks.get().schedule(TICK, this::tick);
    }

    private Instant now() {
        return ticks.map(Scheduler::now).orElse(last == null ? Instant.EPOCH : last);
    }

    private void redraw(List<AttributedString> above) {
        screen.get().draw(above, table(screen.get().height()));
    }

    /** The waves, the environments running now, and the overall line; at most {@code rows} lines. */
    List<AttributedString> table(int rows) {
        boolean color = console.color();
        AttributedStyle bold = color ? AttributedStyle.BOLD : AttributedStyle.DEFAULT;
        List<AttributedString> out = new ArrayList<>();
        String format = "%-5s %5s %6s %8s %7s %12s %8s %12s";
        out.add(new AttributedString(
                String.format(
                        format, "WAVE", "SIZE", "DONE", "RUNNING", "FAILED", "ROLLED BACK", "WAITING", "NOT STARTED"),
                bold));
        for (int w = 0; w < fleet.waveSizes().size(); w++) {
            Map<FleetSummary.State, Integer> c = new EnumMap<>(FleetSummary.State.class);
            for (FleetSummary.State s : FleetSummary.State.values()) {
                c.put(s, 0);
            }
            int wave = w;
            byRun.values().stream()
                    .filter(e -> e.environment.wave() == wave)
                    .forEach(e -> c.merge(e.state, 1, Integer::sum));
            out.add(new AttributedString(String.format(
                    format,
                    w + 1,
                    fleet.waveSizes().get(w),
                    c.get(FleetSummary.State.DONE),
                    c.get(FleetSummary.State.RUNNING),
                    c.get(FleetSummary.State.FAILED),
                    c.get(FleetSummary.State.ROLLED_BACK),
                    c.get(FleetSummary.State.WAITING),
                    c.get(FleetSummary.State.NOT_STARTED))));
        }
        Instant now = now();
        List<Env> running = byRun.values().stream()
                .filter(e -> e.state == FleetSummary.State.RUNNING)
                .toList();
        int room = rows - out.size() - 3;
        if (!running.isEmpty() && room > 0) {
            out.add(new AttributedString(
                    String.format("%-24s %-5s %-24s %8s", "RUNNING", "WAVE", "STEP", "ELAPSED"), bold));
            int shown = running.size() > room ? room - 1 : running.size();
            for (Env e : running.subList(0, Math.max(0, shown))) {
                out.add(new AttributedString(String.format(
                        "%-24s %-5d %-24s %8s",
                        e.environment.name(),
                        e.environment.wave() + 1,
                        e.step,
                        e.startedAt == null ? "" : Durations.format(Duration.between(e.startedAt, now)))));
            }
            if (shown < running.size()) {
                out.add(new AttributedString("  ... and " + (running.size() - shown) + " more running"));
            }
        }
        long settled = byRun.values().stream()
                .filter(e -> e.state != FleetSummary.State.RUNNING && e.state != FleetSummary.State.NOT_STARTED)
                .count();
        int total = byRun.size();
        int filled = total == 0 ? 20 : (int) (20 * settled / total);
        out.add(new AttributedString("[" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + settled + "/" + total
                + " environments settled  fleet " + fleet.id() + "  elapsed "
                + Durations.format(start == null ? Duration.ZERO : Duration.between(start, now))));
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        if (screen.isPresent()) {
            redraw(List.of());
            screen.get().release();
        }
        closed = true;
    }
}
