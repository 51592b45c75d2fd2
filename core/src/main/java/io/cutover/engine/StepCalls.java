package io.cutover.engine;

import io.cutover.CutoverException;
import io.cutover.FailureType;
import io.cutover.FenceLostException;
import io.cutover.event.CutoverEvent;
import io.cutover.event.Durations;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.cutover.state.RunState;
import io.cutover.state.StepState;
import io.cutover.state.StepStatus;
import io.cutover.step.StepBehaviour;
import io.cutover.step.StepBehaviour.Phase;
import io.cutover.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one cutover's steps, as a chain of small policies: schedule (one timer per step, a newer one
 * supersedes), admit (the call's turn in the account's rate budget), invoke (the call, its exceptions turned
 * into typed failures), retry (throttled and transient failures, with backoff) and timeout (an operation
 * that runs far past its expected duration fails its step). What the call returned then goes to the run.
 * Every method runs under the run's lock, except the call itself.
 */
final class StepCalls {
    private static final Logger LOG = LoggerFactory.getLogger(StepCalls.class);

    /** How much younger a poll of an operation under way counts than its cutover, in the rate budget's queue. */
    static final Duration OBSERVING = Duration.ofMinutes(10);

    private final CutoverRun run;
    private final Engine engine;
    private final Map<StepId, Scheduler.Cancellable> timers = new HashMap<>();
    private final Map<StepId, Integer> retries = new HashMap<>();

    /** When each step's current run of retried calls began, and in which phase (a compensation starts afresh). */
    private final Map<StepId, Map.Entry<Phase, Instant>> retryingSince = new HashMap<>();

    private final Map<StepId, Long> generations = new HashMap<>();
    /** Steps whose call is out right now: the rollback waits for its answer before it touches them. */
    private final Set<StepId> out = new HashSet<>();
    /**
     * Steps whose last call may have acted with its answer lost (it failed transiently, or the process that made
     * it stopped before saving what it found): cleared by the next answer that is not such a failure.
     */
    private final Set<StepId> uncertain = new HashSet<>();

    /** The polls of each step's current wait that found it running: the call budget, and when it was last seen so. */
    private final Map<StepId, Polls> polls = new HashMap<>();

    private record Polls(String operation, Instant since, int count, Instant last) {}

    private long nextGeneration;
    private int retried;

    StepCalls(CutoverRun run, Engine engine) {
        this.run = run;
        this.engine = engine;
    }

    /** Calls the step in {@code mode} after {@code delay}, superseding any call scheduled before. */
    void schedule(StepId id, Phase mode, Duration delay) {
        cancel(id);
        if (run.halting()) {
            return;
        }
        // Each schedule supersedes the one before: a task that finds a newer generation does nothing, so one
        // step never has two chains of polls (an approval and a poll can race on different threads).
        long generation = ++nextGeneration;
        generations.put(id, generation);
        timers.put(id, engine.scheduler().schedule(delay, () -> admit(id, mode, generation)));
    }

    /** After a restart: every step that was in flight is called again, never started twice. */
    void resume(RunState state) {
        for (StepSpec s : state.plan().steps()) {
            StepStatus st = state.step(s.id()).status();
            if (st.inFlight()) {
                uncertain.add(s.id());
            }
            if (st == StepStatus.STARTING) {
                schedule(s.id(), Phase.START, Duration.ZERO);
            } else if (st == StepStatus.RUNNING || st == StepStatus.WAITING) {
                schedule(s.id(), Phase.POLL, Duration.ZERO);
            } else if (st == StepStatus.COMPENSATING) {
                schedule(s.id(), Phase.COMPENSATE, Duration.ZERO);
            }
        }
    }

    void cancel(StepId id) {
        Scheduler.Cancellable previous = timers.remove(id);
        if (previous != null) {
            previous.cancel();
        }
    }

    void cancelAll() {
        timers.values().forEach(Scheduler.Cancellable::cancel);
        timers.clear();
    }

    /** Whether the step's call is out now (its answer is still to come). */
    boolean isOut(StepId id) {
        return out.contains(id);
    }

    boolean anyOut() {
        return !out.isEmpty();
    }

    /** Waits, on the wall clock and outside the run's lock, up to {@code grace} for the calls out to answer. */
    void drain(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (run) {
                if (out.isEmpty()) {
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How many calls were throttled or failed transiently and were repeated, in this process. */
    int retried() {
        return retried;
    }

    /**
     * A call's place in the rate budget's queue: its cutover's, or, for a poll that only looks at an operation
     * under way, {@link #OBSERVING} later, behind the next phase of every cutover up to that much younger.
     */
    static RateBudget.Priority turn(RateBudget.Priority cutover, boolean observing) {
        return observing ? new RateBudget.Priority(cutover.at().plus(OBSERVING), cutover.order()) : cutover;
    }

    private boolean current(StepId id, long generation) {
        return !run.stopped() && generations.getOrDefault(id, -1L) == generation;
    }

    /**
     * Asks for the call's share of the account's rate budget and makes it when granted (at once when the tokens
     * are there); cutovers that share the budget so take their turns, oldest first, instead of being throttled.
     */
    private void admit(StepId id, Phase mode, long generation) {
        RateBudget budget = engine.rateBudget();
        if (budget.limits()) {
            synchronized (run) {
                if (!current(id, generation)) {
                    return;
                }
                StepState st = run.state().step(id);
                Map<String, Integer> calls = run.behaviour(id).calls(mode, st.memo());
                if (!calls.isEmpty()) {
                    // In the budget's queue, oldest cutover first; withdrawn if the step is called again meanwhile.
                    RateBudget.Priority p =
                            engine.priority(run.id(), run.state().createdAt());
                    // A poll of an operation already under way only looks: it waits behind the next phase (a call
                    // that starts something) of every cutover up to OBSERVING younger. A create that waits delays its
                    // cutover by all that follows it; a poll that waits, by the wait.
                    boolean observing = mode == Phase.POLL
                            && st.waitingOn()
                                    .map(w -> Duration.between(w.since(), run.now())
                                                    .compareTo(Duration.ofSeconds(1))
                                            >= 0)
                                    .orElse(false);
                    p = turn(p, observing);
                    timers.put(id, budget.acquire(calls, p, engine.scheduler(), () -> invoke(id, mode, generation)));
                    return;
                }
            }
        }
        invoke(id, mode, generation);
    }

    private void invoke(StepId id, Phase mode, long generation) {
        StepBehaviour behaviour = run.behaviour(id);
        RunContext ctx;
        synchronized (run) {
            if (!current(id, generation)) {
                return;
            }
            timers.remove(id);
            if (!wanted(mode, run.state().step(id).status())) {
                return;
            }
            ctx = new RunContext(
                    engine, run.fence().cloud(), run.secrets(), run.state(), id, run.now(), uncertain.contains(id));
            out.add(id);
        }
        StepOutcome outcome;
        try {
            // A step's first call and its undo may change things outside the cloud too (hooks): fenced as well.
            if (mode != Phase.POLL && run.fence().check() instanceof Fence.Lost lost) {
                throw new FenceLostException("not calling step " + id + ": " + lost.reason());
            }
            outcome = switch (mode) {
                case START -> behaviour.start(ctx);
                case POLL -> behaviour.poll(ctx);
                case COMPENSATE -> behaviour.compensate(ctx);
            };
        } catch (FenceLostException e) {
            synchronized (run) {
                out.remove(id);
                run.stop(e);
            }
            return;
        } catch (ProviderException e) {
            outcome = new StepOutcome.Failed(typeOf(e.kind()), e.getMessage(), e.retryable());
        } catch (CutoverException | IllegalStateException | IllegalArgumentException e) {
            outcome = new StepOutcome.Failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("step {} of cutover {} threw", id, run.id(), masked(e));
            outcome = StepOutcome.Failed.of(FailureType.UNEXPECTED, "unexpected error: " + e);
        }
        // The one masking point: whatever the call returned reaches the state, the events and the log masked.
        answered(id, mode, run.secrets().mask(outcome));
    }

    /** The exception as the log shows it: its text masked, its stack kept, its causes' texts left out. */
    private RuntimeException masked(RuntimeException e) {
        RuntimeException shown = new RuntimeException(run.secrets().mask(e.toString()));
        shown.setStackTrace(e.getStackTrace());
        return shown;
    }

    private static boolean wanted(Phase mode, StepStatus st) {
        return switch (mode) {
            case START -> st == StepStatus.STARTING;
            case POLL -> st == StepStatus.RUNNING || st == StepStatus.WAITING || st == StepStatus.STARTING;
            case COMPENSATE -> st == StepStatus.COMPENSATING;
        };
    }

    private void answered(StepId id, Phase mode, StepOutcome outcome) {
        synchronized (run) {
            out.remove(id);
            if (run.stopped()) {
                return;
            }
            if (outcome instanceof StepOutcome.Failed f && f.retryable()) {
                if (f.type() != FailureType.THROTTLED) {
                    // A throttled call was refused; any other failure may have come after the call took effect.
                    uncertain.add(id);
                }
                retry(id, mode, f);
                return;
            }
            uncertain.remove(id);
            retries.remove(id);
            retryingSince.remove(id);
            learn(id, outcome);
            run.onOutcome(id, mode, timeout(id, outcome));
        }
    }

    private void retry(StepId id, Phase mode, StepOutcome.Failed f) {
        retried++;
        int attempt = retries.merge(id, 1, Integer::sum);
        Map.Entry<Phase, Instant> began = retryingSince.get(id);
        if (began == null || began.getKey() != mode) {
            began = Map.entry(mode, run.now());
            retryingSince.put(id, began);
        }
        Instant since = began.getValue();
        // Throttling says "slow down", not "broken": it fails a step only when it has lasted throttledAtMost (a
        // fleet sharing one account's limits met more than maxAttempts throttles in a row); transient errors
        // still give up after maxAttempts.
        if (f.type() == FailureType.THROTTLED
                && Duration.between(since, run.now())
                                .compareTo(engine.retryPolicy().throttledAtMost())
                        > 0) {
            retries.remove(id);
            retryingSince.remove(id);
            run.onOutcome(
                    id,
                    mode,
                    new StepOutcome.Failed(
                            f.type(),
                            f.reason() + " (throttled for " + Durations.format(Duration.between(since, run.now()))
                                    + " without getting through: the account's rate limit for this service is"
                                    + " below the calls the step makes at once; raise it, or run fewer cutovers at"
                                    + " once)",
                            false,
                            f.memo()));
            return;
        }
        if (attempt > engine.retryPolicy().maxAttempts() && f.type() != FailureType.THROTTLED) {
            retries.remove(id);
            retryingSince.remove(id);
            run.onOutcome(
                    id,
                    mode,
                    new StepOutcome.Failed(
                            f.type(),
                            f.reason() + " (still failing after " + (attempt - 1) + " attempts)",
                            false,
                            f.memo()));
            return;
        }
        Duration delay = engine.retryPolicy().delay(attempt - 1, engine.nextJitter());
        run.events().emit(new CutoverEvent.StepRetrying(run.id(), run.now(), id, reasonOf(f), delay));
        schedule(id, mode, delay);
    }

    /** The retry event's wording: the provider's kind of failure, as the adapters name it. */
    private static String reasonOf(StepOutcome.Failed f) {
        String kind = f.type() == FailureType.THROTTLED
                ? "throttling"
                : f.type().name().toLowerCase();
        return kind + ": " + f.reason();
    }

    /**
     * An operation that never ends (a snapshot stuck in "creating") must not hold the cutover forever; one that
     * is slow but still moving (a large database's first snapshot) must not be failed for being slow. Past its
     * limit, an operation goes on while the progress it reports keeps rising, and fails once it has not risen
     * for longer than the limit (or at once, if it reports none).
     */
    private StepOutcome timeout(StepId id, StepOutcome outcome) {
        StepState st = run.state().step(id);
        if (!(outcome instanceof StepOutcome.Pending p)
                || st.waitingOn().isEmpty()
                || !st.waitingOn().get().operation().equals(p.operation())) {
            return outcome;
        }
        Optional<Duration> limit = limit(id, p);
        StepState.Wait w = st.waitingOn().get();
        Instant now = run.now();
        Duration elapsed = Duration.between(w.since(), now);
        if (limit.isEmpty() || elapsed.compareTo(limit.get()) <= 0 || w.advancedBy(p.percent())) {
            return outcome;
        }
        Optional<Duration> still = w.advancedAt().map(at -> Duration.between(at, now));
        if (still.isPresent() && still.get().compareTo(limit.get()) <= 0) {
            return outcome;
        }
        String stalled = w.percent()
                .map(pc -> "; its progress has stayed at " + pc + "% for " + Durations.format(still.orElseThrow()))
                .orElse("");
        // what the step learnt in this call (a snapshot it found) is saved with the failure
        return new StepOutcome.Failed(
                FailureType.TIMED_OUT,
                p.operation() + " has not finished after " + Durations.format(elapsed) + " (limit "
                        + Durations.format(limit.get()) + ", expected about "
                        + Durations.format(belief(p).median())
                        + stalled + "): " + p.progress(),
                FailureType.TIMED_OUT.retryable(),
                p.memo());
    }

    /**
     * The limit of an operation: the plan's for the step, else the plan's for every operation, else the poll
     * policy's for what the engine believes it takes (the step's own estimate and what operations of its kind took,
     * {@link PollPolicy#limit}). Only operations with an expected duration have one: waits, checks and hooks keep
     * their own clocks.
     */
    private Optional<Duration> limit(StepId id, StepOutcome.Pending p) {
        Optional<Duration> byPolicy = engine.pollPolicy().timeout(p.operation());
        if (byPolicy.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> byPlan = run.state().plan().limits().of(id);
        if (byPlan.isPresent()) {
            return byPlan;
        }
        return Optional.of(
                engine.pollPolicy().limit(p.operation(), belief(p), p.percent().isPresent()));
    }

    private PollPolicy.Belief belief(StepOutcome.Pending p) {
        return engine.pollPolicy()
                .belief(p.operation(), p.expected(), engine.durationEstimates().estimate(p.operation()));
    }

    /**
     * What an operation took, once a poll finds it over (the step done, or waiting on something else): the middle
     * between the last poll that found it running and this one, recorded for the next operation of its kind.
     */
    private void learn(StepId id, StepOutcome outcome) {
        Optional<StepState.Wait> w = run.state().step(id).waitingOn();
        if (w.isEmpty()
                || outcome instanceof StepOutcome.Failed
                || outcome instanceof StepOutcome.AwaitingApproval
                || (outcome instanceof StepOutcome.Pending p
                        && p.operation().equals(w.get().operation()))
                || engine.pollPolicy().timeout(w.get().operation()).isEmpty()) {
            return;
        }
        Polls seen = polls.remove(id);
        if (seen == null || !seen.since().equals(w.get().since())) {
            return; // not a wait this process watched from its start to its end (a restart, a compensation)
        }
        Instant now = run.now();
        Instant last = seen.last();
        Instant end = last.plus(Duration.between(last, now).dividedBy(2));
        engine.durationEstimates()
                .observed(w.get().operation(), Duration.between(w.get().since(), end));
    }

    /**
     * When to look again: the poll policy's answer from the step's hint, the progress the provider reports, the
     * step's estimate, what operations of its kind took before, and the polls this wait has made; announced as
     * progress.
     */
    Duration nextPoll(StepId id, StepOutcome.Pending p, StepState ns, Instant now) {
        Instant since = ns.waitingOn().map(StepState.Wait::since).orElse(now);
        Polls before = polls.get(id);
        boolean same = before != null
                && before.since().equals(since)
                && before.operation().equals(p.operation());
        // a call the step asked for at once (to save what it will create before it creates it) is no poll
        int count = (same ? before.count() : 0) + (p.retryAfter().isPresent() ? 0 : 1);
        polls.put(id, new Polls(p.operation(), since, count, now));
        PollPolicy.Waiting w = new PollPolicy.Waiting(
                p.operation(),
                Duration.between(since, now),
                count,
                p.percent(),
                p.expected(),
                engine.durationEstimates().estimate(p.operation()));
        Duration delay = engine.pollPolicy().next(w, p.retryAfter());
        run.events().emit(new CutoverEvent.StepProgressed(run.id(), now, id, p.progress(), delay));
        return delay;
    }

    /** The failure type of a provider call's failure. */
    static FailureType typeOf(FailureKind kind) {
        return switch (kind) {
            case THROTTLING -> FailureType.THROTTLED;
            case TRANSIENT -> FailureType.TRANSIENT;
            case NOT_FOUND -> FailureType.NOT_FOUND;
            case ACCESS_DENIED -> FailureType.ACCESS_DENIED;
            case INVALID_REQUEST -> FailureType.INVALID_REQUEST;
            case CONFLICT -> FailureType.CONFLICT;
            case ALREADY_EXISTS, PERMANENT -> FailureType.PERMANENT;
        };
    }
}
