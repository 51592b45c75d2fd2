package io.cutover.engine;

import io.cutover.FailureType;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunPhase;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.Compensation;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cutover's rollback. Before the switch ({@link RunPhase#COMPENSATING}) every step that created something
 * has it removed and every step that took something from blue gives it back; after it
 * ({@link RunPhase#REVERTING}) only blue is given back (users move back to it) and green is kept for
 * inspection. A snapshot of blue's data is never deleted ({@link Compensation#KEEPS_BACKUP}): the report names
 * it as kept, with why. Compensations run newest first, ordered by the plan's graph, each saved as it starts, so a new
 * engine finishes a rollback its process could not. Runs under the run's lock.
 */
final class Rollback {
    private final CutoverRun run;
    private final Plan plan;
    private final StepCalls calls;

    Rollback(CutoverRun run, StepCalls calls) {
        this.run = run;
        this.plan = run.plan();
        this.calls = calls;
    }

    /** Turns the cutover back: compensating before the switch, reverting after it. */
    void start(String reason) {
        Instant now = run.now();
        RunState state = run.state();
        boolean after = state.switched();
        RunPhase phase = after ? RunPhase.REVERTING : RunPhase.COMPENSATING;
        if (!run.commit(state.withFailure(reason, now).withPhase(phase, now))) {
            return;
        }
        run.events().emit(new CutoverEvent.RollbackStarted(run.id(), now, reason, after));
        run.evaluate();
    }

    /**
     * A failed step: a process that died before it could start the rollback left it to us, or the cutover is
     * retiring blue (then decommission is let finish and the cutover ends FAILED).
     */
    void failedStep(StepSpec s, StepState failed, java.util.Optional<StepSpec> decommissionStep) {
        RunState state = run.state();
        String reason = s.id() + " failed: " + failed.error().orElse("(no reason saved)");
        if (state.phase() != RunPhase.RETIRING) {
            start(reason);
            return;
        }
        // Past the point of no return: blue is being retired, so users cannot be moved back to it.
        StepSpec d = decommissionStep.orElseThrow();
        StepState retiring = state.step(d.id());
        if (retiring.status() == StepStatus.FAILED) {
            run.finish(
                    RunStatus.FAILED, "decommission failed: " + retiring.error().orElse(""));
        } else if (retiring.status() == StepStatus.SUCCEEDED) {
            run.finish(RunStatus.FAILED, reason + " (after blue was retired; nothing to move users back to)");
        } else if (state.failure().isEmpty()) {
            run.commit(state.withFailure(reason, run.now()));
        }
    }

    /** Calls off what has not started, starts the compensations that are due, and ends the rollback when done. */
    void evaluate() {
        Instant now = run.now();
        boolean reverting = run.state().phase() == RunPhase.REVERTING;
        if (!callOff(reverting, now)) {
            return;
        }
        List<StepId> candidates = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            if (needsCompensation(s, reverting) && !calls.isOut(s.id())) {
                candidates.add(s.id());
            }
        }
        boolean inFlight = calls.anyOut()
                || plan.steps().stream()
                        .anyMatch(s -> run.state().step(s.id()).status().inFlight());
        for (StepId c : candidates) {
            // Every step that depends on c, directly or through steps with nothing to undo: the switch back to blue
            // depends on the lowered TTL only through the freeze and the snapshots, and must still undo first, or
            // it writes the lowered TTL again after the TTL was restored.
            boolean dependentsDone = dependents(c).stream()
                    .allMatch(s -> !run.state().step(s.id()).status().inFlight() && !needsCompensation(s, reverting));
            if (!dependentsDone) {
                continue;
            }
            RunState state = run.state();
            if (!run.commit(state.withStep(c, state.step(c).withStatus(StepStatus.COMPENSATING), now))) {
                return;
            }
            run.events()
                    .emit(new CutoverEvent.CompensationStarted(
                            run.id(), now, c, run.behaviour(c).describeCompensation()));
            calls.schedule(c, Phase.COMPENSATE, Duration.ZERO);
            inFlight = true;
        }
        if (!inFlight && candidates.isEmpty()) {
            end(reverting, now);
        }
    }

    /**
     * Nothing new starts; gates and waits are called off. Before the switch, in-flight work is let finish so
     * that what it creates is known and removed; after it, a switch in flight is reverted at once. False when
     * this engine stopped.
     */
    private boolean callOff(boolean reverting, Instant now) {
        for (StepSpec s : plan.steps()) {
            StepStatus st = run.state().step(s.id()).status();
            if (calls.isOut(s.id())) {
                // Its answer (what it changed, what it saved to undo it) comes first; then it is called off or undone.
                continue;
            }
            boolean running = st == StepStatus.RUNNING || st == StepStatus.STARTING;
            boolean movesTraffic = run.flags(s).movesTraffic();
            boolean callOff = st == StepStatus.PENDING
                    || st == StepStatus.WAITING
                    || (reverting
                            && running
                            && !movesTraffic
                            && !run.kinds().of(s).hooks(s).containsKey("hook"));
            boolean interruptSwitch = reverting && movesTraffic && running;
            if (!callOff && !interruptSwitch) {
                continue;
            }
            calls.cancel(s.id());
            StepState was = run.state().step(s.id());
            StepState ns = interruptSwitch
                    ? was.withProgress("interrupted by the rollback")
                            .withError(FailureType.INTERRUPTED, "interrupted by the rollback")
                            .withStatus(StepStatus.FAILED)
                    : was.withProgress("called off by the rollback").withStatus(StepStatus.SKIPPED);
            if (!run.commit(run.state().withStep(s.id(), ns, now))) {
                return false;
            }
        }
        return true;
    }

    private void end(boolean reverting, Instant now) {
        RunState state = run.state();
        boolean clean =
                plan.steps().stream().noneMatch(s -> state.step(s.id()).status() == StepStatus.COMPENSATION_FAILED);
        RunState next = reverting ? run.report().keptForInspection(state, now) : state;
        next = run.report().keptBackups(next, now);
        if (next != state && !run.commit(next)) {
            return;
        }
        run.finish(
                clean ? RunStatus.ROLLED_BACK : RunStatus.FAILED,
                (clean ? "rolled back" : "rolled back with resources left behind") + " after: "
                        + run.state().failure().orElse("?"));
    }

    /** The steps that depend on {@code id}, directly or transitively. */
    private List<StepSpec> dependents(StepId id) {
        java.util.Set<StepId> found = new java.util.LinkedHashSet<>();
        java.util.Deque<StepId> todo = new java.util.ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            StepId next = todo.pop();
            for (StepSpec s : plan.steps()) {
                if (s.dependsOn().contains(next) && found.add(s.id())) {
                    todo.push(s.id());
                }
            }
        }
        return plan.steps().stream().filter(s -> found.contains(s.id())).toList();
    }

    private boolean needsCompensation(StepSpec s, boolean reverting) {
        StepStatus st = run.state().step(s.id()).status();
        if (st != StepStatus.SUCCEEDED && st != StepStatus.FAILED) {
            return false;
        }
        Compensation c = run.behaviour(s.id()).compensation();
        return reverting ? c == Compensation.RESTORES_BLUE : c != Compensation.NONE && c != Compensation.KEEPS_BACKUP;
    }

    /** What a compensation's call returned. */
    void onCompensation(StepId id, StepState st, StepOutcome outcome, Instant now) {
        StepSpec spec = plan.stepOrThrow(id);
        if (outcome instanceof StepOutcome.Done) {
            RunState next =
                    run.state().withStep(id, st.withProgress("compensated").withStatus(StepStatus.COMPENSATED), now);
            if (run.flags(spec).downtime() == StepSpec.Downtime.STARTS) {
                next = run.events().endDowntime(next, id, now);
            }
            if (!run.commit(next)) {
                return;
            }
            run.events().emit(new CutoverEvent.StepCompensated(run.id(), now, id));
            run.events().flush();
            run.evaluate();
        } else if (outcome instanceof StepOutcome.Pending p) {
            StepState ns = st.withMemo(p.memo())
                    .waitingOn(p.operation(), p.percent(), now)
                    .withProgress(p.progress());
            if (!run.commit(run.state().withStep(id, ns, now))) {
                return;
            }
            calls.schedule(id, Phase.COMPENSATE, calls.nextPoll(id, p, ns, now));
        } else {
            StepOutcome.Failed f = outcome instanceof StepOutcome.Failed failed
                    ? failed
                    : new StepOutcome.Failed(FailureType.PERMANENT, "compensation waited for approval", false);
            StepState failed = st.withMemo(f.memo()).withError(f.type(), f.reason());
            RunState withFailure = run.state().withStep(id, failed.withStatus(StepStatus.COMPENSATION_FAILED), now);
            RunState next = withFailure.withReport(run.report().leftBehind(withFailure, spec, f.reason()), now);
            if (!run.commit(next)) {
                return;
            }
            run.events().emit(new CutoverEvent.CompensationFailed(run.id(), now, id, f.reason()));
            run.evaluate();
        }
    }
}
