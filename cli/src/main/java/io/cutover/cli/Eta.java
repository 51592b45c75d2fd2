package io.cutover.cli;

import io.cutover.engine.PollPolicy;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.kinds.StepKinds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a cutover should end, estimated along its graph: a step that has not started begins when its
 * dependencies are estimated to end and takes its operation's expected duration ({@link PollPolicy}'s figures,
 * a bake its bake time); a running step takes what is left of its expectation. A person's approval is not
 * estimated: {@code gated} says the estimate excludes one.
 */
record Eta(Optional<Duration> remaining, boolean gated) {
    private static final PollPolicy POLICY = PollPolicy.ofDefaults();
    private static final StepKinds KINDS = StepKinds.builtIn();

    static Eta of(RunState s, Instant now) {
        if (s.status().terminal()) {
            return new Eta(Optional.of(Duration.ZERO), false);
        }
        if (s.status() != io.cutover.state.RunStatus.RUNNING && s.status() != io.cutover.state.RunStatus.WAITING) {
            return new Eta(Optional.empty(), false); // rolling back: its length depends on what must be undone
        }
        Map<StepId, Instant> ends = new HashMap<>();
        Instant last = now;
        boolean gated = false;
        for (StepSpec spec : s.plan().inOrder()) {
            StepState st = s.steps().get(spec.id().value());
            StepStatus status = st == null ? StepStatus.PENDING : st.status();
            Instant end;
            if (status.settled()) {
                end = st.endedAt().orElse(now);
            } else {
                Instant start = now;
                for (StepId d : spec.dependsOn()) {
                    Instant de = ends.getOrDefault(d, now);
                    start = de.isAfter(start) ? de : start;
                }
                Duration expected = expected(spec, st);
                // a gate with no time of its own waits for a person, whose answer is not estimated
                gated |= KINDS.rulesOf(spec).flags(spec).gate() && expected.isZero();
                if (status != StepStatus.PENDING && st.startedAt().isPresent()) {
                    Duration elapsed = Duration.between(st.startedAt().get(), now);
                    expected = expected.compareTo(elapsed) > 0 ? expected.minus(elapsed) : Duration.ZERO;
                }
                end = start.plus(expected);
            }
            ends.put(spec.id(), end);
            last = end.isAfter(last) ? end : last;
        }
        return new Eta(Optional.of(Duration.between(now, last)), gated);
    }

    /** How long a step is expected to take in all. */
    static Duration expected(StepSpec spec, StepState st) {
        if (st != null
                && st.memo().containsKey("_op")
                && POLICY.timeout(st.memo().get("_op")).isPresent()) {
            return POLICY.expected(st.memo().get("_op")); // an AWS operation with a known expected duration
        }
        var kind = KINDS.of(spec);
        Duration d = kind.minimumDuration(spec, POLICY::expected);
        if (d.isZero() && !kind.flags(spec).gate() && kind.hooks(spec).isEmpty()) {
            return POLICY.fallbackExpected(); // verify, lower-ttl: their own clocks, about a minute
        }
        return d; // a hook's own time, or a person's, is not estimated
    }

    /** As a person reads it: {@code ETA 25m 03s}, {@code ETA 25m 03s + approval}, or nothing when unknown. */
    String describe() {
        return remaining
                .map(r -> "ETA " + io.cutover.event.Durations.format(r) + (gated ? " + approval" : ""))
                .orElse("");
    }
}
