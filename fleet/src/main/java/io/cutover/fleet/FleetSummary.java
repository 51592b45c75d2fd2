package io.cutover.fleet;

import com.google.common.collect.ImmutableList;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import io.cutover.state.StepStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where every environment of a fleet stands, read from the shared state and leases (so any machine can show
 * it): done, running (and who drives it), failed, rolled back, waiting at a gate, or not started.
 *
 * @param stopped why the fleet stopped starting new environments, if it did
 */
public record FleetSummary(String fleetId, List<Line> environments, Optional<String> stopped) {
    public FleetSummary {
        environments = ImmutableList.copyOf(environments);
    }

    /** What a person sees of one environment. */
    public enum State {
        DONE("done"),
        RUNNING("running"),
        FAILED("failed"),
        ROLLED_BACK("rolled back"),
        WAITING("waiting at a gate"),
        NOT_STARTED("not started");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One environment: its state and what to know about it (the holder, the gate, the failure). */
    public record Line(String environment, int wave, String runId, State state, String detail) {}

    /** Reads the fleet's state from the store and the leases. */
    public static FleetSummary read(
            Fleet fleet,
            StateStore store,
            Optional<EnvironmentLeases> leases,
            Map<String, String> refused,
            Optional<String> stopped) {
        List<Line> lines = new ArrayList<>();
        for (FleetEnvironment e : fleet.environments()) {
            Optional<RunState> s = store.load(e.runId());
            if (s.isEmpty()) {
                String why = refused.get(e.name());
                lines.add(new Line(
                        e.name(),
                        e.wave(),
                        e.runId(),
                        why == null ? State.NOT_STARTED : State.FAILED,
                        why == null ? "" : "not started: " + why));
                continue;
            }
            RunState r = s.get();
            State state = of(r.status());
            String detail;
            if (state == State.WAITING) {
                List<String> gates = new ArrayList<>();
                r.steps().forEach((k, v) -> {
                    if (v.status() == StepStatus.WAITING) {
                        gates.add(k + " (" + v.progress() + ")");
                    }
                });
                detail = "at " + String.join(", ", gates) + "; approve with: cutover approve " + r.runId() + " <gate>";
            } else if (state == State.RUNNING) {
                detail = leases.flatMap(l -> l.holder(e.name()))
                        .map(h -> "by " + h.describe())
                        .orElse("nobody holds it (its process stopped); the next fleet run resumes it");
            } else {
                detail = r.failure().orElse("");
            }
            lines.add(new Line(e.name(), e.wave(), e.runId(), state, detail));
        }
        return new FleetSummary(fleet.id(), lines, stopped);
    }

    static State of(RunStatus status) {
        switch (status) {
            case COMPLETED:
                return State.DONE;
            case FAILED:
                return State.FAILED;
            case ROLLED_BACK:
                return State.ROLLED_BACK;
            case WAITING:
                return State.WAITING;
            default:
                return State.RUNNING;
        }
    }

    public Map<State, Integer> counts() {
        Map<State, Integer> counts = new EnumMap<>(State.class);
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        environments.forEach(l -> counts.merge(l.state(), 1, Integer::sum));
        return counts;
    }

    public int count(State state) {
        return counts().get(state);
    }

    /** One line of counts, then one line per environment. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        Map<State, Integer> c = counts();
        sb.append("fleet ").append(fleetId).append(": ");
        List<String> parts = new ArrayList<>();
        c.forEach((k, v) -> parts.add(v + " " + k.label()));
        sb.append(String.join(", ", parts)).append('\n');
        stopped.ifPresent(s -> sb.append("STOPPED: ").append(s).append('\n'));
        for (Line l : environments) {
            sb.append(String.format(
                    "  wave %-3d %-24s %-18s %s%n",
                    l.wave() + 1, l.environment(), l.state().label(), l.detail()));
        }
        return sb.toString();
    }
}
