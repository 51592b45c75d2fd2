package io.cutover.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one source of truth about a cutover: its plan, where every step stands, which way the cutover moves,
 * who approved what, the downtime window, and what it leaves behind. Saved after every transition; a new
 * engine resumes from it. {@code version} increases by one with every save, and a save based on an older
 * version is refused. {@code formatVersion} is the layout of the saved JSON ({@link StateFormat}).
 *
 * @param phase which way the cutover moves: forward, compensating, reverting, or retiring blue
 * @param report what a person should know at the end: resources kept on purpose (final snapshots, green
 *     kept for inspection) and resources left behind that could not be removed
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({"formatVersion", "runId"})
public record RunState(
        int formatVersion,
        String runId,
        Plan plan,
        RunStatus status,
        RunPhase phase,
        Map<String, StepState> steps,
        Set<String> approvals,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> downtimeStartedAt,
        Optional<Instant> downtimeEndedAt,
        Optional<String> failure,
        boolean switched,
        List<ReportEntry> report,
        String owner,
        long version) {
    public RunState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(phase, "phase");
        steps = steps == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        approvals = approvals == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(approvals));
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
                StateFormat.CURRENT,
                plan.id(),
                plan,
                RunStatus.RUNNING,
                RunPhase.FORWARD,
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
        Copy c = new Copy(this, now);
        c.steps = new LinkedHashMap<>(steps);
        c.steps.put(id.value(), state);
        return c.build();
    }

    public RunState withStatus(RunStatus s, Instant now) {
        Copy c = new Copy(this, now);
        c.status = s;
        return c.build();
    }

    /**
     * Turns the cutover to {@code next}; a rollback's phase also sets the status people see
     * ({@link RunStatus#COMPENSATING}, {@link RunStatus#REVERTING}).
     */
    public RunState withPhase(RunPhase next, Instant now) {
        Copy c = new Copy(this, now);
        c.phase = next;
        if (next == RunPhase.COMPENSATING) {
            c.status = RunStatus.COMPENSATING;
        } else if (next == RunPhase.REVERTING) {
            c.status = RunStatus.REVERTING;
        }
        return c.build();
    }

    public RunState withApproval(StepId gate, Instant now) {
        Copy c = new Copy(this, now);
        c.approvals = new LinkedHashSet<>(approvals);
        c.approvals.add(gate.value());
        return c.build();
    }

    public RunState withDowntimeStarted(Instant at) {
        Copy c = new Copy(this, at);
        c.downtimeStartedAt = Optional.of(at);
        c.downtimeEndedAt = Optional.empty();
        return c.build();
    }

    public RunState withDowntimeEnded(Instant at) {
        Copy c = new Copy(this, at);
        c.downtimeEndedAt = Optional.of(at);
        return c.build();
    }

    /** Records why the cutover failed; the first reason stays. */
    public RunState withFailure(String reason, Instant now) {
        Copy c = new Copy(this, now);
        c.failure = failure.isPresent() ? failure : Optional.of(reason);
        return c.build();
    }

    public RunState withSwitched(Instant now) {
        Copy c = new Copy(this, now);
        c.switched = true;
        return c.build();
    }

    /** Adds an entry to the report (once: an entry already there is not repeated). */
    public RunState withReport(ReportEntry entry, Instant now) {
        if (report.contains(entry)) {
            return this;
        }
        Copy c = new Copy(this, now);
        c.report = new ArrayList<>(report);
        c.report.add(entry);
        return c.build();
    }

    public RunState withOwner(String newOwner) {
        Copy c = new Copy(this, updatedAt);
        c.owner = newOwner;
        return c.build();
    }

    public RunState withVersion(long v) {
        Copy c = new Copy(this, updatedAt);
        c.version = v;
        return c.build();
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

    /** The report as the sentences people read. */
    @JsonIgnore
    public List<String> reportLines() {
        return report.stream().map(ReportEntry::line).toList();
    }

    /** A copy with some fields changed; the record's withers each change one. */
    private static final class Copy {
        private final RunState from;
        private RunStatus status;
        private RunPhase phase;
        private Map<String, StepState> steps;
        private Set<String> approvals;
        private final Instant updatedAt;
        private Optional<Instant> downtimeStartedAt;
        private Optional<Instant> downtimeEndedAt;
        private Optional<String> failure;
        private boolean switched;
        private List<ReportEntry> report;
        private String owner;
        private long version;

        Copy(RunState s, Instant updatedAt) {
            this.from = s;
            this.status = s.status;
            this.phase = s.phase;
            this.steps = s.steps;
            this.approvals = s.approvals;
            this.updatedAt = updatedAt;
            this.downtimeStartedAt = s.downtimeStartedAt;
            this.downtimeEndedAt = s.downtimeEndedAt;
            this.failure = s.failure;
            this.switched = s.switched;
            this.report = s.report;
            this.owner = s.owner;
            this.version = s.version;
        }

        RunState build() {
            return new RunState(
                    from.formatVersion,
                    from.runId,
                    from.plan,
                    status,
                    phase,
                    steps,
                    approvals,
                    from.createdAt,
                    updatedAt,
                    downtimeStartedAt,
                    downtimeEndedAt,
                    failure,
                    switched,
                    report,
                    owner,
                    version);
        }
    }
}
