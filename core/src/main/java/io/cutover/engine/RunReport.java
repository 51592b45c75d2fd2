package io.cutover.engine;

import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.state.ReportEntry;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
import io.cutover.step.StepBehaviour;
import io.cutover.step.kinds.StepKinds;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a cutover's report says: the resources it keeps on purpose and those it could not remove, each a typed
 * {@link ReportEntry} built from what the step kinds say their steps created ({@link CreatedResource}).
 */
final class RunReport {
    private final Plan plan;
    private final StepKinds kinds;
    private final Map<?, StepBehaviour> behaviours;

    RunReport(Plan plan, StepKinds kinds, Map<?, StepBehaviour> behaviours) {
        this.plan = plan;
        this.kinds = kinds;
        this.behaviours = behaviours;
    }

    /** What a step created, from its outputs and memo, as its kind reads them. */
    <S extends StepSpec> List<CreatedResource> created(RunState state, S s) {
        StepState st = state.step(s.id());
        return kinds.of(s).created(s, st.outputs(), st.memo(), state.outputs());
    }

    /** A compensation that failed: what its step created is left behind for a person. */
    ReportEntry leftBehind(RunState state, StepSpec s, String reason) {
        return new ReportEntry.LeftBehind(
                s.id(), behaviours.get(s.id()).describeCompensation(), created(state, s), reason);
    }

    /** After users moved back to blue: what green's steps created is kept for inspection. */
    RunState keptForInspection(RunState state, Instant now) {
        RunState next = state;
        for (StepSpec s : plan.steps()) {
            StepBehaviour b = behaviours.get(s.id());
            if (b.compensation() == Compensation.REMOVES_GREEN
                    && state.step(s.id()).status() == StepStatus.SUCCEEDED) {
                next = next.withReport(new ReportEntry.KeptForInspection(s.id(), b.describe(), created(state, s)), now);
            }
        }
        return next;
    }

    /**
     * At the end of a rollback: every snapshot of blue's data the cutover took is kept (a rollback never deletes
     * a backup of blue, least of all the one taken just before the change that failed), each named with why.
     */
    RunState keptBackups(RunState state, Instant now) {
        RunState next = state;
        for (StepSpec s : plan.steps()) {
            if (behaviours.get(s.id()).compensation() != Compensation.KEEPS_BACKUP) {
                continue;
            }
            StepState st = state.step(s.id());
            String taken = st.startedAt().map(t -> " as it was at " + t).orElse("");
            String why = "a backup of blue's data" + taken + ", kept because the cutover was rolled back and a rollback"
                    + " never deletes a backup of blue"
                    + (st.status() == StepStatus.SUCCEEDED
                            ? ""
                            : " (the snapshot was not complete when its step ended "
                                    + st.status().name().toLowerCase() + "; check its state)")
                    + "; delete it when you no longer need it";
            for (CreatedResource r : created(state, s)) {
                next = next.withReport(new ReportEntry.KeptBackup(s.id(), r, why), now);
            }
        }
        return next;
    }

    /**
     * At the end of a cutover that completed or failed: what it created and keeps. Blue's final snapshots, the
     * snapshots green was built from, which outlive the cutover, and what green runs on outside its stack (a
     * replaced data volume, a database restored, cloned or promoted beside it); named so that nobody pays for them
     * unknowingly (the fault campaign found rehearsal snapshots left behind unreported). A decommission that
     * failed half-way has taken final snapshots that are in no output yet: its kind finds them in its memo.
     */
    RunState kept(RunState state, RunStatus status, Instant now) {
        if (status != RunStatus.COMPLETED && status != RunStatus.FAILED) {
            return state;
        }
        RunState next = state;
        for (StepSpec s : plan.steps()) {
            StepState st = state.step(s.id());
            boolean retires = kinds.of(s).flags(s).pointOfNoReturn();
            boolean kept = st.status() == StepStatus.SUCCEEDED
                    || (retires && status == RunStatus.FAILED && st.status() == StepStatus.FAILED);
            Compensation c = behaviours.get(s.id()).compensation();
            boolean backup = c == Compensation.KEEPS_BACKUP;
            if (!kept || (!retires && c != Compensation.REMOVES_GREEN && !backup)) {
                continue;
            }
            if (backup
                    && state.report().stream()
                            .anyMatch(e -> e instanceof ReportEntry.KeptBackup b
                                    && b.step().equals(s.id()))) {
                // Named already by the rollback, with why.
                continue;
            }
            for (CreatedResource r : created(state, s)) {
                if (retires) {
                    next = next.withReport(
                            new ReportEntry.KeptFinalSnapshot(s.id(), r, st.status() == StepStatus.FAILED), now);
                } else if (r.type() == CreatedResource.Type.DATABASE_SNAPSHOT
                        || r.type() == CreatedResource.Type.VOLUME_SNAPSHOT) {
                    next = next.withReport(new ReportEntry.KeptSnapshot(s.id(), r), now);
                } else if (!backup
                        && (r.type() == CreatedResource.Type.VOLUME || r.type() == CreatedResource.Type.DATABASE)
                        && !named(next, r)) {
                    // Not when the report names it already (kept for inspection after users went back to blue,
                    // left behind by an undo that failed): green does not run on it then.
                    next = next.withReport(new ReportEntry.KeptInUse(s.id(), r), now);
                }
            }
        }
        return next;
    }

    /** Whether an entry of the report names {@code r} already. */
    private static boolean named(RunState state, CreatedResource r) {
        return state.report().stream().anyMatch(e -> e.resources().contains(r));
    }

    /** The cutover's end: its status, the downtime window closed (unless it failed), and what is kept. */
    RunState ended(RunState state, io.cutover.state.RunStatus status, java.time.Instant now) {
        RunState next = state.withStatus(status, now);
        if (status != io.cutover.state.RunStatus.FAILED
                && next.downtimeStartedAt().isPresent()
                && next.downtimeEndedAt().isEmpty()) {
            next = next.withDowntimeEnded(now);
        }
        return kept(next, status, now);
    }
}
