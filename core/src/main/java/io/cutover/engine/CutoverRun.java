package io.cutover.engine;

import io.cutover.CutoverException;
import io.cutover.RefusedException;
import io.cutover.event.CutoverEvent;
import io.cutover.event.CutoverListener;
import io.cutover.event.Durations;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.spi.ProviderException;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.Compensation;
import io.cutover.step.CreatedResource;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * of no return.
 */
public final class CutoverRun {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverRun.class);
    private static final String OP = "_op";
    private static final String OP_SINCE = "_opSince";

    private final Engine engine;
    private final Plan plan;
    private final Map<StepId, StepBehaviour> actions = new HashMap<>();
    private final StepKinds kinds;
    private final Map<StepId, Scheduler.Cancellable> timers = new HashMap<>();
    private final Map<StepId, Integer> retries = new HashMap<>();
    private final Map<StepId, Long> generations = new HashMap<>();
    /** Steps whose call is out right now: the rollback waits for its answer before it touches them. */
    private final java.util.Set<StepId> callsOut = new java.util.HashSet<>();

    private long nextGeneration;
    private final List<CompletableFuture<RunState>> waiters = new ArrayList<>();
    private RunState state;
    private boolean dead;
    /** The plan's decommission step, if it has one (a plan has at most one): the point of no return. */
    private final Optional<StepSpec> decommissionStep;

    private int throttled;

    CutoverRun(Engine engine, RunState state) {
        this.engine = engine;
        this.state = state;
        this.plan = state.plan();
        this.kinds = engine.stepKinds();
        plan.steps().forEach(s -> actions.put(s.id(), kinds.of(s).behaviour(s)));
        this.decommissionStep =
                plan.steps().stream().filter(s -> flags(s).pointOfNoReturn()).findFirst();
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
        return throttled;
    }

    /**
     * Completes when the cutover next settles: completed, rolled back, failed, or waiting at a gate with
     * nothing else to do. Completes at once if it is settled now.
     */
    public synchronized CompletableFuture<RunState> settled() {
        CompletableFuture<RunState> f = new CompletableFuture<>();
        if (dead || state.status().terminal() || state.status() == RunStatus.WAITING) {
            f.complete(state);
        } else {
            waiters.add(f);
        }
        return f;
    }

    /** Waits (on the wall clock) until the cutover settles; for use with a {@link SystemScheduler}. */
    public RunState awaitSettled(Duration timeout) {
        try {
            return settled().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException("interrupted while waiting for cutover " + id(), e);
        } catch (ExecutionException e) {
            throw new CutoverException(
                    "cutover " + id() + " stopped: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new CutoverException(
                    "cutover " + id() + " did not settle within " + Durations.format(timeout)
                            + "; it goes on in the background (status " + status() + ")",
                    e);
        }
    }

    /**
     * Approves a gate: an approval step, or a bake (which ends it early and opens decommission). A gate can
     * be approved before the cutover reaches it.
     */
    public synchronized void approve(String gate) {
        StepId id = StepId.of(gate);
        StepSpec spec = plan.step(id)
                .orElseThrow(() ->
                        new RefusedException("no step '" + gate + "' in plan " + plan.id() + "; gates: " + gates()));
        if (!flags(spec).gate()) {
            throw new RefusedException(
                    "step '" + gate + "' is a " + kinds.of(spec).name() + ", not a gate; gates: " + gates());
        }
        if (state.status().terminal()) {
            throw new RefusedException("cutover " + id() + " has ended (" + state.status() + "); nothing to approve");
        }
        Instant now = now();
        RunState next = state.withApproval(id, now);
        if (next.step(id).status() == StepStatus.WAITING) {
            next = next.withStep(
                    id, next.step(id).withStatus(StepStatus.RUNNING).withProgress("approved"), now);
        }
        if (next.status() == RunStatus.WAITING) {
            next = next.withStatus(RunStatus.RUNNING, now);
        }
        if (!commit(next)) {
            return;
        }
        emit(new CutoverEvent.GateApproved(id(), now, id));
        StepStatus s = state.step(id).status();
        if (s == StepStatus.WAITING || s == StepStatus.RUNNING) {
            schedule(id, Phase.POLL, Duration.ZERO);
        }
        evaluate();
    }

    private List<String> gates() {
        return plan.steps().stream()
                .filter(s -> flags(s).gate())
                .map(s -> s.id().value())
                .toList();
    }

    /**
     * Rolls the cutover back now: before the switch, green is removed; after it, users move back to blue and
     * green is kept. Refused once decommission has started.
     */
    public synchronized void rollback() {
        if (state.status().terminal()) {
            throw new RefusedException("cutover " + id() + " has ended (" + state.status() + "); nothing to roll back");
        }
        Optional<StepSpec> decommission =
                decommissionStep.filter(s -> state.step(s.id()).status() != StepStatus.PENDING);
        if (decommission.isPresent()) {
            throw new RefusedException("cutover " + id() + " is past the point of no return: '"
                    + decommission.get().id() + "' has started retiring blue; finish it with resume");
        }
        if (state.status() == RunStatus.COMPENSATING || state.status() == RunStatus.REVERTING) {
            return;
        }
        fail("rollback requested", Optional.empty());
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
        for (StepId up : plan.upstreamOf(d.id())) {
            StepSpec spec = plan.stepOrThrow(up);
            StepState s = state.step(up);
            boolean open = s.status() == StepStatus.SUCCEEDED || state.approved(up);
            if (flags(spec).gate() && !open) {
                String why = gateWaitsFor(spec, s)
                        .orElse("gate '" + up + "' is " + s.status().name().toLowerCase());
                throw new RefusedException(
                        "decommission refused: " + why + "; wait for it, or approve '" + up + "' to open the gate now");
            }
        }
        evaluate();
    }

    // ---------------------------------------------------------------------------------------------------

    synchronized void begin(boolean resumed) {
        begin(resumed, run -> {});
    }

    /** Begins (or takes over) the run; {@code first} acts on it before any step that is ready starts. */
    synchronized void begin(boolean resumed, java.util.function.Consumer<CutoverRun> first) {
        Instant now = now();
        if (resumed) {
            if (state.status().terminal()) {
                // The process may have died between saving the end and releasing the lock.
                engine.store().release(plan.environment().name(), id());
                first.accept(this);
                return;
            }
            if (!commit(state.withOwner(engine.owner()))) {
                return;
            }
            emit(new CutoverEvent.RunResumed(id(), now, plan.environment().name()));
            for (StepSpec s : plan.steps()) {
                StepStatus st = state.step(s.id()).status();
                if (st == StepStatus.STARTING) {
                    schedule(s.id(), Phase.START, Duration.ZERO);
                } else if (st == StepStatus.RUNNING || st == StepStatus.WAITING) {
                    schedule(s.id(), Phase.POLL, Duration.ZERO);
                } else if (st == StepStatus.COMPENSATING) {
                    schedule(s.id(), Phase.COMPENSATE, Duration.ZERO);
                }
            }
        } else {
            emit(new CutoverEvent.RunStarted(
                    id(), now, plan.environment().name(), plan.steps().size()));
        }
        first.accept(this);
        evaluate();
    }

    private Instant now() {
        return engine.scheduler().now();
    }

    private void schedule(StepId id, Phase mode, Duration delay) {
        Scheduler.Cancellable previous = timers.remove(id);
        if (previous != null) {
            previous.cancel();
        }
        // Each schedule supersedes the one before: a task that finds a newer generation does nothing, so one
        // step never has two chains of polls (an approval and a poll can race on different threads).
        long generation = ++nextGeneration;
        generations.put(id, generation);
        timers.put(id, engine.scheduler().schedule(delay, () -> admit(id, mode, generation)));
    }

    private synchronized boolean current(StepId id, long generation) {
        return generations.getOrDefault(id, -1L) == generation;
    }

    /**
     * Reserves the call's share of the account's rate budget, then makes it at once or when the reservation
     * comes due; cutovers that share the budget so take their turns instead of being throttled.
     */
    private void admit(StepId id, Phase mode, long generation) {
        RateBudget budget = engine.rateBudget();
        if (budget.limits()) {
            Duration wait;
            synchronized (this) {
                if (dead || !current(id, generation)) {
                    return;
                }
                wait = budget.reserve(actions.get(id).calls(mode, state.step(id).memo()), now());
                if (!wait.isZero()) {
                    timers.put(id, engine.scheduler().schedule(wait, () -> invoke(id, mode, generation)));
                    return;
                }
            }
        }
        invoke(id, mode, generation);
    }

    private void invoke(StepId id, Phase mode, long generation) {
        StepBehaviour action = actions.get(id);
        RunContext ctx;
        synchronized (this) {
            if (dead || !current(id, generation)) {
                return;
            }
            timers.remove(id);
            StepStatus st = state.step(id).status();
            boolean stillWanted = switch (mode) {
                case START -> st == StepStatus.STARTING;
                case POLL -> st == StepStatus.RUNNING || st == StepStatus.WAITING || st == StepStatus.STARTING;
                case COMPENSATE -> st == StepStatus.COMPENSATING;
            };
            if (!stillWanted) {
                return;
            }
            ctx = new RunContext(engine, state, id, now());
            callsOut.add(id);
        }
        StepOutcome outcome;
        try {
            outcome = switch (mode) {
                case START -> action.start(ctx);
                case POLL -> action.poll(ctx);
                case COMPENSATE -> action.compensate(ctx);
            };
        } catch (ProviderException e) {
            if (e.retryable()) {
                retry(id, mode, e);
                return;
            }
            outcome = new StepOutcome.Failed(e.getMessage());
        } catch (CutoverException | IllegalStateException | IllegalArgumentException e) {
            outcome = new StepOutcome.Failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("step {} of cutover {} threw", id, id(), e);
            outcome = new StepOutcome.Failed("unexpected error: " + e);
        }
        onOutcome(id, mode, outcome);
    }

    private synchronized void retry(StepId id, Phase mode, ProviderException e) {
        callsOut.remove(id);
        if (dead) {
            return;
        }
        throttled++;
        int attempt = retries.merge(id, 1, Integer::sum);
        // Throttling says "slow down", not "broken": it never fails a step (a fleet sharing one account's limits
        // met more than maxAttempts throttles in a row); transient errors still give up after maxAttempts.
        if (attempt > engine.retryPolicy().maxAttempts() && e.kind() != io.cutover.spi.FailureKind.THROTTLING) {
            retries.remove(id);
            onOutcome(
                    id,
                    mode,
                    new StepOutcome.Failed(e.getMessage() + " (still failing after " + (attempt - 1) + " attempts)"));
            return;
        }
        Duration delay = engine.retryPolicy().delay(attempt - 1, engine.nextJitter());
        emit(new CutoverEvent.StepRetrying(
                id(), now(), id, e.kind().name().toLowerCase() + ": " + e.getMessage(), delay));
        schedule(id, mode, delay);
    }

    private synchronized void onOutcome(StepId id, Phase mode, StepOutcome outcome) {
        callsOut.remove(id);
        if (dead) {
            return;
        }
        retries.remove(id);
        StepStatus current = state.step(id).status();
        boolean expected = mode == Phase.COMPENSATE
                ? current == StepStatus.COMPENSATING
                : current == StepStatus.STARTING || current == StepStatus.RUNNING || current == StepStatus.WAITING;
        if (!expected) {
            // The rollback called this step off while its call was out; what the call found no longer matters.
            return;
        }
        Instant now = now();
        StepSpec spec = plan.stepOrThrow(id);
        StepState st = state.step(id).called();
        if (outcome instanceof StepOutcome.Pending p
                && p.operation().equals(st.memo().get(OP))) {
            Optional<Duration> limit = engine.pollPolicy().timeout(p.operation());
            Duration elapsed = Duration.between(Instant.parse(st.memo().get(OP_SINCE)), now);
            if (limit.isPresent() && elapsed.compareTo(limit.get()) > 0) {
                // An operation that never ends (a snapshot stuck in "creating") must not hold the cutover forever.
                outcome = new StepOutcome.Failed(p.operation() + " has not finished after " + Durations.format(elapsed)
                        + " (expected about "
                        + Durations.format(engine.pollPolicy().expected(p.operation())) + "): "
                        + p.progress());
            }
        }
        if (mode == Phase.COMPENSATE) {
            onCompensation(id, st, outcome, now);
            return;
        }
        if (outcome instanceof StepOutcome.Done done) {
            RunState next = state.withStep(
                    id, st.withOutputs(done.outputs()).withProgress("done").ended(StepStatus.SUCCEEDED, now), now);
            if (flags(spec).downtime() == StepSpec.Downtime.ENDS
                    && next.downtimeStartedAt().isPresent()
                    && next.downtimeEndedAt().isEmpty()) {
                next = next.withDowntimeEnded(now);
                emitAfter(new CutoverEvent.DowntimeEnded(
                        id(), now, id, next.downtime(now).orElse(Duration.ZERO)));
            }
            if (!commit(next)) {
                return;
            }
            emit(new CutoverEvent.StepSucceeded(
                    id(), now, id, Duration.between(st.startedAt().orElse(now), now), done.outputs()));
            flushAfter();
            evaluate();
        } else if (outcome instanceof StepOutcome.Pending p) {
            Map<String, String> memo = memoOf(p, st, now);
            StepState ns = st.withMemo(memo).withProgress(p.progress()).withStatus(StepStatus.RUNNING);
            if (st.status() == StepStatus.RUNNING && memo.isEmpty()) {
                // Not a transition: nothing a restart would need. Kept in memory, saved with the next transition.
                state = state.withStep(id, ns, now);
            } else if (!commit(state.withStep(id, ns, now))) {
                return;
            }
            schedule(id, Phase.POLL, nextPoll(id, p, ns, now));
            evaluate();
        } else if (outcome instanceof StepOutcome.AwaitingApproval a) {
            boolean first = st.status() != StepStatus.WAITING;
            if (!commit(state.withStep(id, st.withStatus(StepStatus.WAITING).withProgress(a.prompt()), now))) {
                return;
            }
            if (first) {
                emit(new CutoverEvent.GateWaiting(id(), now, id, a.prompt()));
            }
            evaluate();
        } else if (outcome instanceof StepOutcome.Failed f) {
            RunState next = state.withStep(id, st.withError(f.reason()).ended(StepStatus.FAILED, now), now);
            if (!commit(next)) {
                return;
            }
            emit(new CutoverEvent.StepFailed(id(), now, id, f.reason()));
            if (flags(spec).pointOfNoReturn()) {
                finish(RunStatus.FAILED, "decommission failed: " + f.reason());
                return;
            }
            fail(id + " failed: " + f.reason(), Optional.of(id));
        }
    }

    private void onCompensation(StepId id, StepState st, StepOutcome outcome, Instant now) {
        if (outcome instanceof StepOutcome.Done) {
            StepSpec spec = plan.stepOrThrow(id);
            RunState next = state.withStep(id, st.withProgress("compensated").withStatus(StepStatus.COMPENSATED), now);
            if (flags(spec).downtime() == StepSpec.Downtime.STARTS
                    && next.downtimeStartedAt().isPresent()
                    && next.downtimeEndedAt().isEmpty()) {
                next = next.withDowntimeEnded(now);
                emitAfter(new CutoverEvent.DowntimeEnded(
                        id(), now, id, next.downtime(now).orElse(Duration.ZERO)));
            }
            if (!commit(next)) {
                return;
            }
            emit(new CutoverEvent.StepCompensated(id(), now, id));
            flushAfter();
            evaluate();
        } else if (outcome instanceof StepOutcome.Pending p) {
            StepState ns = st.withMemo(memoOf(p, st, now)).withProgress(p.progress());
            if (!commit(state.withStep(id, ns, now))) {
                return;
            }
            schedule(id, Phase.COMPENSATE, nextPoll(id, p, ns, now));
        } else {
            String reason = outcome instanceof StepOutcome.Failed f ? f.reason() : "compensation waited for approval";
            RunState next = state.withStep(id, st.withError(reason).withStatus(StepStatus.COMPENSATION_FAILED), now)
                    .withReport(
                            "LEFT BEHIND by " + id + " (" + actions.get(id).describeCompensation() + " failed)"
                                    + (created(plan.stepOrThrow(id)).isEmpty()
                                            ? ""
                                            : " " + created(plan.stepOrThrow(id)))
                                    + ": "
                                    + reason,
                            now);
            if (!commit(next)) {
                return;
            }
            emit(new CutoverEvent.CompensationFailed(id(), now, id, reason));
            evaluate();
        }
    }

    /** The step's memo updates, with the operation it waits on and since when (kept across restarts). */
    private static Map<String, String> memoOf(StepOutcome.Pending p, StepState st, Instant now) {
        Map<String, String> memo = new HashMap<>(p.memo());
        if (!p.operation().equals(st.memo().get(OP))) {
            memo.put(OP, p.operation());
            memo.put(OP_SINCE, now.toString());
        }
        return memo;
    }

    /** When to look again, from the step's hint and the operation's expected duration; announced as progress. */
    private Duration nextPoll(StepId id, StepOutcome.Pending p, StepState ns, Instant now) {
        Duration elapsed = Duration.between(Instant.parse(ns.memo().get(OP_SINCE)), now);
        Duration delay = engine.pollPolicy().next(p.operation(), elapsed, p.retryAfter());
        emit(new CutoverEvent.StepProgressed(id(), now, id, p.progress(), delay));
        return delay;
    }

    private void fail(String reason, Optional<StepId> failed) {
        Optional<StepStatus> retiring =
                decommissionStep.map(d -> state.step(d.id()).status());
        if (retiring.isPresent()
                && retiring.get() != StepStatus.PENDING
                && retiring.get() != StepStatus.SKIPPED
                && retiring.get() != StepStatus.FAILED) {
            // Past the point of no return: blue is being retired, so users cannot be moved back to it. The
            // failure is recorded, decommission finishes, and the cutover ends FAILED with its report.
            if (commit(state.withFailure(reason, now()))) {
                evaluate();
            }
            return;
        }
        Instant now = now();
        boolean after = state.switched();
        RunState next =
                state.withFailure(reason, now).withStatus(after ? RunStatus.REVERTING : RunStatus.COMPENSATING, now);
        if (!commit(next)) {
            return;
        }
        emit(new CutoverEvent.RollbackStarted(id(), now, reason, after));
        evaluate();
    }

    /** Starts what can start, settles when nothing can move. Called after every transition. */
    private void evaluate() {
        if (dead || state.status().terminal()) {
            return;
        }
        if (state.status() == RunStatus.COMPENSATING || state.status() == RunStatus.REVERTING) {
            evaluateRollback();
            return;
        }
        // A failed step: a process that died before it could start the rollback left it to us, or decommission
        // was under way when it failed (then decommission is let finish and the cutover ends FAILED).
        for (StepSpec s : plan.steps()) {
            StepState failed = state.step(s.id());
            if (failed.status() != StepStatus.FAILED) {
                continue;
            }
            String reason = s.id() + " failed: " + failed.error().orElse("(no reason saved)");
            Optional<StepStatus> retiring =
                    decommissionStep.map(d -> state.step(d.id()).status());
            if (flags(s).pointOfNoReturn()) {
                finish(
                        RunStatus.FAILED,
                        "decommission failed: " + failed.error().orElse(""));
            } else if (retiring.isPresent() && retiring.get().inFlight()) {
                return;
            } else if (retiring.isPresent() && retiring.get() == StepStatus.SUCCEEDED) {
                finish(RunStatus.FAILED, reason + " (after blue was retired; nothing to move users back to)");
            } else {
                fail(reason, Optional.of(s.id()));
            }
            return;
        }
        Instant now = now();
        for (StepSpec s : plan.steps()) {
            if (state.step(s.id()).status() != StepStatus.PENDING) {
                continue;
            }
            boolean ready = s.dependsOn().stream().allMatch(d -> state.step(d).status() == StepStatus.SUCCEEDED);
            if (!ready) {
                continue;
            }
            RunState next = state.withStep(s.id(), state.step(s.id()).started(now), now);
            if (flags(s).downtime() == StepSpec.Downtime.STARTS
                    && next.downtimeStartedAt().isEmpty()) {
                next = next.withDowntimeStarted(now);
                emitAfter(new CutoverEvent.DowntimeStarted(id(), now, s.id()));
            }
            if (flags(s).movesTraffic() && !next.switched()) {
                next = next.withSwitched(now);
            }
            if (!commit(next)) {
                return;
            }
            emit(new CutoverEvent.StepStarted(
                    id(), now, s.id(), kinds.of(s).name(), actions.get(s.id()).describe()));
            flushAfter();
            schedule(s.id(), Phase.START, Duration.ZERO);
        }
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

    private void evaluateRollback() {
        Instant now = now();
        boolean reverting = state.status() == RunStatus.REVERTING;
        // Nothing new starts; gates and waits are called off. Before the switch, in-flight work is let finish
        // so that what it creates is known and removed; after it, a switch in flight is reverted at once.
        for (StepSpec s : plan.steps()) {
            StepStatus st = state.step(s.id()).status();
            if (callsOut.contains(s.id())) {
                // Its answer (what it changed, what it saved to undo it) comes first; then it is called off or undone.
                continue;
            }
            boolean callOff = st == StepStatus.PENDING
                    || st == StepStatus.WAITING
                    || (reverting
                            && (st == StepStatus.RUNNING || st == StepStatus.STARTING)
                            && !flags(s).movesTraffic()
                            && !kinds.of(s).hooks(s).containsKey("hook"));
            boolean interruptSwitch =
                    reverting && flags(s).movesTraffic() && (st == StepStatus.RUNNING || st == StepStatus.STARTING);
            if (callOff || interruptSwitch) {
                Scheduler.Cancellable t = timers.remove(s.id());
                if (t != null) {
                    t.cancel();
                }
                StepStatus to = interruptSwitch ? StepStatus.FAILED : StepStatus.SKIPPED;
                StepState ns = state.step(s.id())
                        .withProgress(
                                to == StepStatus.SKIPPED ? "called off by the rollback" : "interrupted by the rollback")
                        .withStatus(to);
                if (!commit(state.withStep(s.id(), ns, now))) {
                    return;
                }
            }
        }
        List<StepId> candidates = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            if (needsCompensation(s, reverting) && !callsOut.contains(s.id())) {
                candidates.add(s.id());
            }
        }
        boolean inFlight = !callsOut.isEmpty();
        for (StepSpec s : plan.steps()) {
            StepStatus st = state.step(s.id()).status();
            if (st.inFlight()) {
                inFlight = true;
            }
        }
        for (StepId c : candidates) {
            boolean dependentsDone = plan.steps().stream()
                    .filter(s -> s.dependsOn().contains(c))
                    .allMatch(s -> {
                        StepStatus st = state.step(s.id()).status();
                        return !st.inFlight() && !needsCompensation(s, reverting);
                    });
            if (!dependentsDone) {
                continue;
            }
            StepBehaviour a = actions.get(c);
            if (!commit(state.withStep(c, state.step(c).withStatus(StepStatus.COMPENSATING), now))) {
                return;
            }
            emit(new CutoverEvent.CompensationStarted(id(), now, c, a.describeCompensation()));
            schedule(c, Phase.COMPENSATE, Duration.ZERO);
            inFlight = true;
        }
        if (!inFlight && candidates.isEmpty()) {
            boolean clean =
                    plan.steps().stream().noneMatch(s -> state.step(s.id()).status() == StepStatus.COMPENSATION_FAILED);
            RunState next = state;
            if (reverting) {
                for (StepSpec s : plan.steps()) {
                    StepBehaviour a = actions.get(s.id());
                    if (a.compensation() == Compensation.REMOVES_GREEN
                            && state.step(s.id()).status() == StepStatus.SUCCEEDED) {
                        next = next.withReport(
                                "KEPT for inspection: " + s.id() + " (" + a.describe() + ") "
                                        + created(s)
                                        + "; remove it when done",
                                now);
                    }
                }
            }
            if (next != state && !commit(next)) {
                return;
            }
            finish(
                    clean ? RunStatus.ROLLED_BACK : RunStatus.FAILED,
                    (clean ? "rolled back" : "rolled back with resources left behind") + " after: "
                            + state.failure().orElse("?"));
        }
    }

    private boolean needsCompensation(StepSpec s, boolean reverting) {
        StepStatus st = state.step(s.id()).status();
        if (st != StepStatus.SUCCEEDED && st != StepStatus.FAILED) {
            return false;
        }
        Compensation c = actions.get(s.id()).compensation();
        return reverting ? c == Compensation.RESTORES_BLUE : c != Compensation.NONE;
    }

    private void finish(RunStatus status, String summary) {
        Instant now = now();
        RunState next = state.withStatus(status, now);
        if (status != RunStatus.FAILED
                && next.downtimeStartedAt().isPresent()
                && next.downtimeEndedAt().isEmpty()) {
            next = next.withDowntimeEnded(now);
        }
        if (status == RunStatus.COMPLETED || status == RunStatus.FAILED) {
            // What the cutover created and keeps: blue's final snapshots, and the snapshots green was built from,
            // which outlive the cutover; named so that nobody pays for them unknowingly (the fault campaign found
            // rehearsal snapshots left behind unreported). A decommission that failed half-way has taken final
            // snapshots that are in no output yet: its memo names them.
            for (StepSpec s : plan.steps()) {
                StepState st = state.step(s.id());
                boolean retires = flags(s).pointOfNoReturn();
                boolean kept = st.status() == StepStatus.SUCCEEDED
                        || (retires && status == RunStatus.FAILED && st.status() == StepStatus.FAILED);
                if (!kept || (!retires && actions.get(s.id()).compensation() != Compensation.REMOVES_GREEN)) {
                    continue;
                }
                for (CreatedResource r : createdBy(s)) {
                    if (retires) {
                        next = next.withReport(
                                "KEPT final snapshot " + r.id()
                                        + (st.status() == StepStatus.FAILED
                                                ? " (taken before " + s.id() + " failed)"
                                                : ""),
                                now);
                    } else if (r.type() == CreatedResource.Type.DATABASE_SNAPSHOT
                            || r.type() == CreatedResource.Type.VOLUME_SNAPSHOT) {
                        next = next.withReport(
                                "KEPT snapshot " + r.id() + " taken by " + s.id()
                                        + "; delete it when green no longer needs it",
                                now);
                    }
                }
            }
        }
        if (!commit(next)) {
            return;
        }
        engine.store().release(plan.environment().name(), id());
        emit(new CutoverEvent.RunSettled(id(), now, status.name().toLowerCase(), summary));
        settle();
    }

    private <S extends StepSpec> List<CreatedResource> createdBy(S s) {
        StepState st = state.step(s.id());
        return kinds.of(s).created(s, st.outputs(), st.memo());
    }

    /** What a step created, for the report. */
    private String created(StepSpec s) {
        List<CreatedResource> r = createdBy(s);
        return r.isEmpty() ? "" : r.toString();
    }

    private <S extends StepSpec> Optional<String> gateWaitsFor(S spec, StepState s) {
        return kinds.of(spec).gateWaitsFor(spec, s.startedAt(), now());
    }

    private <S extends StepSpec> io.cutover.plan.StepRules.Flags flags(S s) {
        return kinds.of(s).flags(s);
    }

    private void settle() {
        List<CompletableFuture<RunState>> ws = new ArrayList<>(waiters);
        waiters.clear();
        ws.forEach(w -> w.complete(state));
    }

    /** Saves the next state; false (and this run stops) when another process changed it first. */
    private boolean commit(RunState next) {
        try {
            state = engine.store().commit(next);
            return true;
        } catch (RuntimeException e) {
            // A conflict means another process drives the cutover; any other error (a full disk, a store that
            // cannot be reached) stops this engine too, so that it never acts on state it could not save. The
            // state as last saved stays, and resume takes it from there.
            dead = true;
            timers.values().forEach(Scheduler.Cancellable::cancel);
            timers.clear();
            LOG.warn(
                    "cutover {}: {}; this engine stops driving it (resume it when the cause is fixed)",
                    id(),
                    e.getMessage());
            List<CompletableFuture<RunState>> ws = new ArrayList<>(waiters);
            waiters.clear();
            ws.forEach(w -> w.completeExceptionally(e));
            return false;
        }
    }

    private final List<CutoverEvent> after = new ArrayList<>();

    /** Queues an event to be sent after the one that caused it. */
    private void emitAfter(CutoverEvent e) {
        after.add(e);
    }

    private void flushAfter() {
        List<CutoverEvent> es = new ArrayList<>(after);
        after.clear();
        es.forEach(this::emit);
    }

    private void emit(CutoverEvent e) {
        for (CutoverListener l : engine.listeners()) {
            try {
                l.on(e);
            } catch (RuntimeException ex) {
                LOG.warn("listener {} failed on {}", l, e, ex);
            }
        }
    }
}
