package io.cutover.engine;

import io.cutover.RefusedException;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.StepBehaviour.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A cutover's gates: approvals of approval steps and bakes, and the gate in front of decommission. */
final class Gates {
    private final CutoverRun run;
    private final Plan plan;
    private final StepCalls calls;

    Gates(CutoverRun run, StepCalls calls) {
        this.run = run;
        this.plan = run.plan();
        this.calls = calls;
    }

    /** Approves {@code gate}; see {@link CutoverRun#approve}. */
    void approve(String gate) {
        StepId id = StepId.of(gate);
        StepSpec spec = plan.step(id)
                .orElseThrow(() ->
                        new RefusedException("no step '" + gate + "' in plan " + plan.id() + "; gates: " + gates()));
        if (!run.flags(spec).gate()) {
            throw new RefusedException(
                    "step '" + gate + "' is a " + run.kinds().of(spec).name() + ", not a gate; gates: " + gates());
        }
        RunState state = run.state();
        if (state.status().terminal()) {
            throw new RefusedException(
                    "cutover " + run.id() + " has ended (" + state.status() + "); nothing to approve");
        }
        Instant now = run.now();
        RunState next = state.withApproval(id, now);
        if (next.step(id).status() == StepStatus.WAITING) {
            next = next.withStep(
                    id, next.step(id).withStatus(StepStatus.RUNNING).withProgress("approved"), now);
        }
        if (next.status() == RunStatus.WAITING) {
            next = next.withStatus(RunStatus.RUNNING, now);
        }
        if (!run.commit(next)) {
            return;
        }
        run.events().emit(new CutoverEvent.GateApproved(run.id(), now, id));
        StepStatus s = run.state().step(id).status();
        if (s == StepStatus.WAITING || s == StepStatus.RUNNING) {
            calls.schedule(id, Phase.POLL, Duration.ZERO);
        }
        run.evaluate();
    }

    private List<String> gates() {
        return plan.steps().stream()
                .filter(s -> run.flags(s).gate())
                .map(s -> s.id().value())
                .toList();
    }

    /** Refuses decommission, with what its gate waits for, while a gate before it is closed. */
    void checkOpen(StepSpec decommission) {
        RunState state = run.state();
        for (StepId up : plan.upstreamOf(decommission.id())) {
            StepSpec spec = plan.stepOrThrow(up);
            StepState s = state.step(up);
            boolean open = s.status() == StepStatus.SUCCEEDED || state.approved(up);
            if (run.flags(spec).gate() && !open) {
                String why = waitsFor(spec, s)
                        .orElse("gate '" + up + "' is " + s.status().name().toLowerCase());
                throw new RefusedException(
                        "decommission refused: " + why + "; wait for it, or approve '" + up + "' to open the gate now");
            }
        }
    }

    private <S extends StepSpec> java.util.Optional<String> waitsFor(S spec, StepState s) {
        return run.kinds().of(spec).gateWaitsFor(spec, s.startedAt(), run.now());
    }
}
