package io.cutover.engine;

import io.cutover.CutoverException;
import io.cutover.RefusedException;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepRules;
import io.cutover.plan.StepSpec;
import io.cutover.state.RunPhase;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepOutcome;
import io.cutover.step.kinds.StepKinds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cutover being driven by an engine. Its state is the stored {@link RunState}: this object holds the
 * latest saved copy and the timers of the next calls, nothing else, so a crash loses nothing that a new
 * engine's {@link Engine#resume} cannot rebuild.
 *
 * <p>Before any step that moves traffic has started, a failure compensates: every step that created
 * something has it removed, newest first, and blue is untouched. Once traffic has moved, a failure (or
 * {@link #rollback()}) moves users back to blue and keeps green for inspection. Decommission is the point
 * of no return. Which way the cutover moves is its saved {@link RunPhase}.
 *
 * <p>This class is the API and the forward transitions; the calls of steps are {@link StepCalls}, the
 * rollback {@link Rollback}, and the report {@link RunReport}.
 */
public final class CutoverRun {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRun.class);

    private final Engine engine;
    private final Plan plan;
    private final StepKinds kinds;
    private final Map<StepId, StepBehaviour> behaviours = new HashMap<>();
    private final StepCalls calls;
    private final Rollback rollback;
    private final RunReport report;
    private final Gates gates;
    private final RunEvents events;
    private final SecretMask secrets;
    private final RunFence fence;
    private final RunClock clock;
    /** The plan's decommission step, if it has one (a plan has at most one): the point of no return. */
    private final Optional<StepSpec> decommissionStep;

    private final List<CompletableFuture<RunState>> waiters = new ArrayList<>();
    private RunState state;
    private boolean dead;
    private boolean halting; // stopping on the operator's word: answers of calls out are saved, nothing starts
    private RuntimeException stoppedBy;

    CutoverRun(Engine engine, RunState state, Fence fence) {
        this.engine = engine;
        this.state = state;
        this.plan = state.plan();
        this.kinds = engine.stepKinds();
        plan.steps().forEach(s -> behaviours.put(s.id(), kinds.of(s).behaviour(s)));
        this.decommissionStep =
                plan.steps().stream().filter(s -> flags(s).pointOfNoReturn()).findFirst();
        this.events = RunEvents.of(engine, plan);
        this.secrets = SecretMask.of(plan, kinds, ref -> RunContext.secret(engine, ref));
        this.fence = new RunFence(this, engine, fence);
        this.clock = new RunClock(engine.scheduler(), state);
        this.calls = new StepCalls(this, engine);
        this.rollback = new Rollback(this, calls);
        this.report = new RunReport(plan, kinds, behaviours);
        this.gates = new Gates(this, calls);
    }

    public String id() {
        return state.runId();
    }

    /** The latest saved state. */
    public synchronized RunState state() {
        return state;
    }

    public synchronized RunStatus status() {
        return state.status();
    }

    /** How many calls were throttled or failed transiently and were repeated, in this process. */
    public synchronized int retriedCalls() {
        return calls.retried();
    }

    /**
     * Completes when the cutover next settles: completed, rolled back, failed, or waiting at a gate with
     * nothing else to do. Completes at once if it is settled now. Fails with why when this process stopped
     * driving the cutover (another process saved it first: {@link io.cutover.FenceLostException} when this one
     * was about to make a call).
     */
    public synchronized CompletableFuture<RunState> settled() {
        CompletableFuture<RunState> f = new CompletableFuture<>();
        if (stoppedBy != null) {
            f.completeExceptionally(stoppedBy);
        } else if (dead || state.status().terminal() || state.status() == RunStatus.WAITING) {
            f.complete(state);
        } else {
            waiters.add(f);
        }
        return f;
    }

    /** Waits (on the wall clock) until the cutover settles; for use with a {@link SystemScheduler}. */
    public RunState awaitSettled(Duration timeout) {
        return RunEvents.await(this, timeout);
    }

    /**
     * Stops driving the cutover (Ctrl-C, SIGTERM): nothing new starts; a call in flight has {@code grace} to answer
     * and be saved, else is abandoned (on resume its step is polled, never started twice). Returns the state as
     * saved, resumable as it stands ({@code cutover resume ID}); {@link #settled()} fails, saying so.
     */
    public RunState stop(Duration grace) {
        synchronized (this) {
            halting = true;
            calls.cancelAll();
        }
        calls.drain(grace);
        synchronized (this) {
            if (!dead) {
                stop(new CutoverException("cutover " + id() + " was stopped by its operator (status " + state.status()
                        + " as saved); resume it with: cutover resume " + id()));
            }
            return state;
        }
    }

    /**
     * Approves a gate: an approval step, or a bake (which ends it early and opens decommission). A gate can
     * be approved before the cutover reaches it.
     */
    public synchronized void approve(String gate) {
        gates.approve(gate);
    }

    /**
     * Rolls the cutover back now: before the switch, green is removed; after it, users move back to blue and
     * green is kept. Refused once decommission has started.
     */
    public synchronized void rollback() {
        if (state.status().terminal()) {
            throw new RefusedException("cutover " + id() + " has ended (" + state.status() + "); nothing to roll back");
        }
        if (state.phase() == RunPhase.RETIRING) {
            throw new RefusedException("cutover " + id() + " is past the point of no return: '"
                    + decommissionStep.map(s -> s.id().value()).orElse("decommission")
                    + "' has started retiring blue; finish it with resume");
        }
        if (state.phase().rollingBack()) {
            return;
        }
        rollback.start("rollback requested");
    }

    /**
     * Lets decommission go ahead if its gate is open; refused, with what the gate waits for, before that.
     * (A bake opens its gate when its time has passed with checks green, or when it is approved.)
     */
    public synchronized void decommission() {
        StepSpec d = decommissionStep.orElseThrow(
                () -> new RefusedException("plan " + plan.id() + " has no decommission step"));
        if (state.status().terminal()) {
            throw new RefusedException("cutover " + id() + " has ended (" + state.status() + ")");
        }
        gates.checkOpen(d);
        evaluate();
    }

    /** Begins (or takes over) the run; {@code first} acts on it before any step that is ready starts. */
    synchronized void begin(boolean resumed, Consumer<CutoverRun> first) {
        Instant now = now();
        if (resumed) {
            if (state.status().terminal()) { // the process may have died between saving the end and the release
                engine.store().release(plan.environment().name(), id());
                first.accept(this);
                return;
            }
            if (!commit(state.withOwner(engine.owner()))) {
                return;
            }
            events.emit(
                    new CutoverEvent.RunResumed(id(), now, plan.environment().name()));
            calls.resume(state);
        } else {
            events.emit(new CutoverEvent.RunStarted(
                    id(), now, plan.environment().name(), plan.steps().size()));
        }
        first.accept(this);
        evaluate();
        fence.follow();
    }

    /** What a step's call returned (after its retries and timeout); the forward transitions, or the rollback's. */
    void onOutcome(StepId id, Phase mode, StepOutcome outcome) {
        StepStatus current = state.step(id).status();
        boolean expected = mode == Phase.COMPENSATE
                ? current == StepStatus.COMPENSATING
                : current == StepStatus.STARTING || current == StepStatus.RUNNING || current == StepStatus.WAITING;
        if (!expected) {
            // The rollback called this step off while its call was out; what the call found no longer matters.
            return;
        }
        Instant now = now();
        StepState st = state.step(id).called();
        if (mode == Phase.COMPENSATE) {
            rollback.onCompensation(id, st, outcome, now);
        } else if (outcome instanceof StepOutcome.Done done) {
            succeeded(id, st, done, now);
        } else if (outcome instanceof StepOutcome.Pending p) {
            StepState ns = st.withMemo(p.memo())
                    .waitingOn(p.operation(), p.percent(), now)
                    .withProgress(p.progress())
                    .withStatus(StepStatus.RUNNING);
            // A rise of the reported progress alone is not saved at once: after a restart, the next poll's figure is
            // above the saved one, which counts as moving, so a stale figure never fails an operation.
            boolean remembers = !p.memo().isEmpty()
                    || !ns.waitingOn()
                            .map(w -> w.operation() + w.since())
                            .equals(st.waitingOn().map(w -> w.operation() + w.since()));
            if (st.status() == StepStatus.RUNNING && !remembers && !clock.saveDue(now)) {
                // Not a transition: nothing a restart would need. Kept in memory, saved with the next transition.
                state = state.withStep(id, ns, now);
            } else if (!commit(state.withStep(id, ns, now))) {
                return;
            }
            calls.schedule(id, Phase.POLL, calls.nextPoll(id, p, ns, now));
            evaluate();
        } else if (outcome instanceof StepOutcome.AwaitingApproval a) {
            boolean first = st.status() != StepStatus.WAITING;
            if (!commit(state.withStep(id, st.withStatus(StepStatus.WAITING).withProgress(a.prompt()), now))) {
                return;
            }
            if (first) {
                events.emit(new CutoverEvent.GateWaiting(id(), now, id, a.prompt()));
            }
            evaluate();
        } else if (outcome instanceof StepOutcome.Failed f) {
            StepState failed =
                    st.withMemo(f.memo()).withError(f.type(), f.reason()).ended(StepStatus.FAILED, now);
            if (!commit(state.withStep(id, failed, now))) {
                return;
            }
            events.emit(new CutoverEvent.StepFailed(id(), now, id, f.reason()));
            evaluate();
        }
    }

    private void succeeded(StepId id, StepState st, StepOutcome.Done done, Instant now) {
        RunState next = state.withStep(
                id, st.withOutputs(done.outputs()).withProgress("done").ended(StepStatus.SUCCEEDED, now), now);
        if (flags(plan.stepOrThrow(id)).downtime() == StepSpec.Downtime.ENDS) {
            next = events.endDowntime(next, id, now);
        }
        if (!commit(next)) {
            return;
        }
        events.emit(new CutoverEvent.StepSucceeded(
                id(), now, id, Duration.between(st.startedAt().orElse(now), now), done.outputs()));
        events.flush();
        evaluate();
    }

    /** Starts what can start, settles when nothing can move. Called after every transition. */
    void evaluate() {
        if (dead || halting || state.status().terminal()) {
            return;
        }
        if (state.phase().rollingBack()) {
            rollback.evaluate();
            return;
        }
        for (StepSpec s : plan.steps()) {
            StepState failed = state.step(s.id());
            if (failed.status() == StepStatus.FAILED) {
                rollback.failedStep(s, failed, decommissionStep);
                return;
            }
        }
        startReady();
        settleIfIdle();
    }

    private void startReady() {
        Instant now = now();
        for (StepSpec s : plan.steps()) {
            if (state.step(s.id()).status() != StepStatus.PENDING
                    || !s.dependsOn().stream().allMatch(d -> state.step(d).status() == StepStatus.SUCCEEDED)) {
                continue;
            }
            StepRules.Flags flags = flags(s);
            RunState next = state.withStep(s.id(), state.step(s.id()).started(now), now);
            if (flags.downtime() == StepSpec.Downtime.STARTS
                    && next.downtimeStartedAt().isEmpty()) {
                next = next.withDowntimeStarted(now);
                events.after(new CutoverEvent.DowntimeStarted(id(), now, s.id()));
            }
            if (flags.movesTraffic() && !next.switched()) {
                next = next.withSwitched(now);
            }
            if (flags.pointOfNoReturn()) {
                next = next.withPhase(RunPhase.RETIRING, now);
            }
            if (!commit(next)) {
                return;
            }
            events.emit(new CutoverEvent.StepStarted(
                    id(),
                    now,
                    s.id(),
                    kinds.of(s).name(),
                    behaviours.get(s.id()).describe()));
            events.flush();
            calls.schedule(s.id(), Phase.START, Duration.ZERO);
        }
    }

    private void settleIfIdle() {
        if (dead) {
            return;
        }
        Instant now = now();
        boolean busy = plan.steps().stream().anyMatch(s -> {
            StepStatus st = state.step(s.id()).status();
            return st == StepStatus.STARTING || st == StepStatus.RUNNING;
        });
        boolean waiting = plan.steps().stream().anyMatch(s -> state.step(s.id()).status() == StepStatus.WAITING);
        boolean allDone = plan.steps().stream().allMatch(s -> state.step(s.id()).status() == StepStatus.SUCCEEDED);
        if (allDone) {
            finish(RunStatus.COMPLETED, "all " + plan.steps().size() + " steps succeeded");
        } else if (!busy && waiting && state.status() != RunStatus.WAITING) {
            if (commit(state.withStatus(RunStatus.WAITING, now))) {
                settle();
            }
        } else if ((busy || !waiting) && state.status() == RunStatus.WAITING) {
            commit(state.withStatus(RunStatus.RUNNING, now));
        }
    }

    /** Ends the cutover: the downtime window closes (unless it failed), the report is written, the lock freed. */
    void finish(RunStatus status, String summary) {
        Instant now = now();
        if (!commit(report.ended(state, status, now))) {
            return;
        }
        engine.store().release(plan.environment().name(), id());
        events.emit(new CutoverEvent.RunSettled(id(), now, status.name().toLowerCase(), summary));
        settle();
    }

    <S extends StepSpec> StepRules.Flags flags(S s) {
        return kinds.of(s).flags(s);
    }

    Plan plan() {
        return plan;
    }

    StepKinds kinds() {
        return kinds;
    }

    StepBehaviour behaviour(StepId id) {
        return behaviours.get(id);
    }

    RunReport report() {
        return report;
    }

    /** Now on the cutover's own timeline ({@link RunClock}), which skew between machines cannot move. */
    Instant now() {
        return clock.now();
    }

    /** Whether this engine stopped driving the cutover (another process saved it first, or the store failed). */
    boolean stopped() {
        return dead;
    }

    boolean halting() { // no new call may start: stopped, or stopping on the operator's word
        return dead || halting;
    }

    private void settle() {
        List<CompletableFuture<RunState>> ws = new ArrayList<>(waiters);
        waiters.clear();
        ws.forEach(w -> w.complete(state));
    }

    /** Saves the next state; false (and this run stops) when another process changed it first. */
    boolean commit(RunState next) {
        try {
            state = engine.store().commit(next);
            clock.saved(next.updatedAt());
            return true;
        } catch (RuntimeException e) {
            // A conflict means another process drives the cutover; any other error (a full disk, a store that
            // cannot be reached) stops this engine too, so that it never acts on state it could not save.
            stop(e);
            return false;
        }
    }

    /** Stops driving the cutover; the state as last saved stays, and resume takes it from there. */
    void stop(RuntimeException why) {
        dead = true;
        stoppedBy = why;
        calls.cancelAll();
        LOG.warn(
                "cutover {}: {}; this engine stops driving it (resume it when the cause is fixed)",
                id(),
                why.getMessage());
        List<CompletableFuture<RunState>> ws = new ArrayList<>(waiters);
        waiters.clear();
        ws.forEach(w -> w.completeExceptionally(why));
    }

    RunFence fence() {
        return fence;
    }

    RunEvents events() {
        return events;
    }

    /** The values of the cutover's secrets, masked in whatever a step's call returns. */
    SecretMask secrets() {
        return secrets;
    }
}
