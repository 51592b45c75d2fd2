package io.cutover.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one source of truth about a cutover: its plan, where every step stands, who approved what, the
 * downtime window, and what it leaves behind. Saved after every transition; a new engine resumes from it.
 * {@code version} increases by one with every save, and a save based on an older version is refused.
 *
 * @param report what a person should know at the end: resources kept on purpose (final snapshots, green
 *     kept for inspection) and resources left behind that could not be removed
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RunState(
        String runId,
        Plan plan,
        RunStatus status,
        Map<String, StepState> steps,
        Set<String> approvals,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> downtimeStartedAt,
        Optional<Instant> downtimeEndedAt,
        Optional<String> failure,
        boolean switched,
        List<String> report,
        String owner,
        long version) {
    public RunState {
        steps = steps == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        approvals =
                approvals == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(approvals));
        downtimeStartedAt = downtimeStartedAt == null ? Optional.empty() : downtimeStartedAt;
        downtimeEndedAt = downtimeEndedAt == null ? Optional.empty() : downtimeEndedAt;
        failure = failure == null ? Optional.empty() : failure;
        report = report == null ? List.of() : List.copyOf(report);
    }

    /** A new cutover of {@code plan}: every step pending. */
    public static RunState start(Plan plan, Instant now, String owner) {
        Map<String, StepState> steps = new LinkedHashMap<>();
        plan.steps().forEach(s -> steps.put(s.id().value(), StepState.pending()));
        return new RunState(
                plan.id(),
                plan,
                RunStatus.RUNNING,
                steps,
                Set.of(),
                now,
                now,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false,
                List.of(),
                owner,
                0);
    }

    public StepState step(StepId id) {
        StepState s = steps.get(id.value());
        if (s == null) {
            throw new IllegalArgumentException("no step " + id + " in run " + runId);
        }
        return s;
    }

    public RunState withStep(StepId id, StepState state, Instant now) {
        Map<String, StepState> next = new LinkedHashMap<>(steps);
        next.put(id.value(), state);
        return new RunState(
                runId,
                plan,
                status,
                next,
                approvals,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                report,
                owner,
                version);
    }

    public RunState withStatus(RunStatus s, Instant now) {
        return new RunState(
                runId,
                plan,
                s,
                steps,
                approvals,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                report,
                owner,
                version);
    }

    public RunState withApproval(StepId gate, Instant now) {
        Set<String> next = new LinkedHashSet<>(approvals);
        next.add(gate.value());
        return new RunState(
                runId,
                plan,
                status,
                steps,
                next,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                report,
                owner,
                version);
    }

    public RunState withDowntimeStarted(Instant at) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                at,
                Optional.of(at),
                Optional.empty(),
                failure,
                switched,
                report,
                owner,
                version);
    }

    public RunState withDowntimeEnded(Instant at) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                at,
                downtimeStartedAt,
                Optional.of(at),
                failure,
                switched,
                report,
                owner,
                version);
    }

    public RunState withFailure(String reason, Instant now) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure.isPresent() ? failure : Optional.of(reason),
                switched,
                report,
                owner,
                version);
    }

    public RunState withSwitched(Instant now) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                true,
                report,
                owner,
                version);
    }

    public RunState withReport(String line, Instant now) {
        if (report.contains(line)) {
            return this;
        }
        List<String> next = new ArrayList<>(report);
        next.add(line);
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                now,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                next,
                owner,
                version);
    }

    public RunState withOwner(String newOwner) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                updatedAt,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                report,
                newOwner,
                version);
    }

    public RunState withVersion(long v) {
        return new RunState(
                runId,
                plan,
                status,
                steps,
                approvals,
                createdAt,
                updatedAt,
                downtimeStartedAt,
                downtimeEndedAt,
                failure,
                switched,
                report,
                owner,
                v);
    }

    public boolean approved(StepId gate) {
        return approvals.contains(gate.value());
    }

    /** How long users could not write, if the window opened: until it closed, or until {@code now}. */
    @JsonIgnore
    public Optional<Duration> downtime(Instant now) {
        return downtimeStartedAt.map(s -> Duration.between(s, downtimeEndedAt.orElse(now)));
    }

    /** Every output of every step, as {@code step-id.key}. */
    @JsonIgnore
    public Map<String, String> outputs() {
        Map<String, String> out = new LinkedHashMap<>();
        steps.forEach((id, s) -> s.outputs().forEach((k, v) -> out.put(id + "." + k, v)));
        return out;
    }
}
