package io.cutover.engine;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import io.cutover.RefusedException;
import io.cutover.event.CutoverListener;
import io.cutover.event.LoggingListener;
import io.cutover.plan.Plan;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.ProviderException;
import io.cutover.state.RunState;
import io.cutover.state.StateStore;
import io.cutover.step.Hooks;
import io.cutover.step.kinds.StepKinds;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs cutovers. One engine serves any number of cutovers at once (of different environments) on the
 * threads of its {@link Scheduler}; all waiting is the engine's: steps submit work and return, and the
 * engine polls them at times chosen from their hints and the expected duration of each operation
 * ({@link PollPolicy}). Every transition is saved to the {@link StateStore} before the next call, so a new
 * engine can {@link #resume} a cutover whose process died.
 *
 * <pre>{@code
 * Engine engine = Engine.builder()
 *     .cloud(cloud).stateStore(FileStateStore.in(Path.of(".cutover")))
 *     .hooks(Hooks.builder().action("pause-jobs", ctx -> jobs.pause()).build())
 *     .build();
 * CutoverRun run = engine.start(plan);
 * RunState end = run.awaitSettled(Duration.ofHours(2));
 * }</pre>
 */
public final class Engine {
    private final CloudProvider cloud;
    private final StateStore store;
    private final Scheduler scheduler;
    private final Hooks hooks;
    private final ImmutableList<CutoverListener> listeners;
    private final PollPolicy pollPolicy;
    private final DurationEstimates durationEstimates;
    private final RetryPolicy retryPolicy;
    private final String owner;
    private final Function<String, String> environmentVariables;
    private final SecretStore secrets;
    private final RateBudget rateBudget;
    private final StepKinds kinds;
    private final Random random;
    private final Optional<Duration> followEvery;
    private final SharedReads sharedReads;
    private final Optional<DnsBatcher> dnsBatcher;
    /** Each cutover's turn in the rate budget: when it was submitted or started, then in what order. */
    private final java.util.Map<String, RateBudget.Priority> priorities =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicLong order = new java.util.concurrent.atomic.AtomicLong();

    private Engine(Builder b) {
        this.cloud = Preconditions.checkNotNull(b.cloud, "cloud: give the engine a CloudProvider");
        this.store = Preconditions.checkNotNull(b.store, "stateStore: give the engine a StateStore");
        this.scheduler = b.scheduler != null ? b.scheduler : SystemScheduler.ofDefaults();
        this.hooks = b.hooks;
        this.listeners = ImmutableList.copyOf(b.listeners);
        this.pollPolicy = b.pollPolicy;
        this.durationEstimates = b.durationEstimates;
        this.retryPolicy = b.retryPolicy;
        this.owner = b.owner;
        this.environmentVariables = b.environmentVariables;
        this.secrets = b.secrets;
        this.rateBudget = b.rateBudget;
        this.kinds = b.kinds;
        this.random = new Random(b.seed);
        this.followEvery = b.followEvery;
        this.sharedReads = new SharedReads(rateBudget, scheduler);
        this.dnsBatcher = b.batchDnsChanges ? Optional.of(new DnsBatcher(cloud, this)) : Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the plan (its fields, then the cloud: that every stack, database, volume, zone, record and
     * address it names exists and every template is accepted), takes the environment's lock, saves the first
     * state and starts the steps that can start. Nothing in the cloud changes when this throws.
     *
     * @throws io.cutover.InvalidPlanException naming each problem and its fix
     * @throws RefusedException when the environment is being cut over by another run
     */
    public CutoverRun start(Plan plan) {
        return start(plan, false, Fence.none());
    }

    /**
     * Starts a cutover as {@link #start(Plan)} does, making every changing call only while {@code fence} holds
     * (a lease between machines, with its margin): the first state is not saved, and no call is made, once it
     * is lost ({@link io.cutover.FenceLostException}).
     */
    public CutoverRun start(Plan plan, Fence fence) {
        return start(plan, false, fence);
    }

    /**
     * Starts a cutover as soon as the account's rate limits let its preflight through: as {@link #start}, but
     * a preflight read that is throttled (or fails transiently) makes the engine try the whole read-only
     * check again later, with backoff and jitter, on its scheduler, instead of refusing the plan. Use it to
     * start many cutovers at once in one account (a fleet): they start as fast as the shared limits allow and
     * none is refused for throttling. The future fails as {@link #start} throws: with an
     * {@link io.cutover.InvalidPlanException} or a {@link RefusedException}.
     */
    public CompletableFuture<CutoverRun> submit(Plan plan) {
        CompletableFuture<CutoverRun> f = new CompletableFuture<>();
        synchronized (admissions) {
            admissions.add(new Admission(plan, f, new RateBudget.Priority(scheduler.now(), order.getAndIncrement())));
        }
        pump(Duration.ZERO);
        return f;
    }

    /** A submitted cutover waiting for its preflight to get through. */
    private record Admission(Plan plan, CompletableFuture<CutoverRun> started, RateBudget.Priority priority) {}

    // Submitted cutovers are admitted one after another, and a throttled preflight pauses them all: waiting
    // ones do not compete for the budget they share with the running ones (retrying each on its own cost a
    // fleet of a thousand more calls, and more CPU, than the cutovers themselves). A preflight takes its turn
    // in the budget with its cutover's priority (its submission), after the phases of cutovers submitted before.
    private final java.util.ArrayDeque<Admission> admissions = new java.util.ArrayDeque<>();
    private boolean pumping;
    private int admissionAttempt;
    private Admission reserved;

    private void pump(Duration delay) {
        synchronized (admissions) {
            if (pumping || admissions.isEmpty()) {
                return;
            }
            pumping = true;
        }
        scheduler.schedule(delay, () -> {
            while (true) {
                Admission next;
                synchronized (admissions) {
                    next = admissions.peek();
                    if (next == null) {
                        pumping = false;
                        return;
                    }
                }
                if (rateBudget.limits() && next != reserved) {
                    // The preflight's reads take their turn in the budget like every other call: as many as the last
                    // preflight of the same estimate made (the shared reads answer the rest), settled after it.
                    reserved = next;
                    Map<String, Integer> estimate = Preflight.calls(next.plan(), kinds);
                    reservedCalls = preflightCalls.getOrDefault(estimate, estimate);
                    rateBudget.acquire(reservedCalls, next.priority(), scheduler, () -> {
                        synchronized (admissions) {
                            pumping = false;
                        }
                        pump(Duration.ZERO);
                    });
                    return;
                }
                try {
                    CutoverRun run = start(next.plan(), true, Fence.none(), next.priority());
                    admissionAttempt = 0;
                    remove(next);
                    next.started().complete(run);
                } catch (ProviderException e) {
                    // The next attempt takes its turn in the budget again: unreserved reads would take the tokens
                    // that reserved calls count on.
                    reserved = null;
                    Duration backoff = retryPolicy.delay(Math.min(admissionAttempt++, 6), nextJitter());
                    synchronized (admissions) {
                        pumping = false;
                    }
                    pump(backoff);
                    return;
                } catch (RuntimeException e) {
                    remove(next);
                    next.started().completeExceptionally(e);
                }
            }
        });
    }

    /** Calls an admission reserved for the preflight it is about to make (the pump's, one at a time). */
    private Map<String, Integer> reservedCalls = Map.of();

    /** What the last preflight of each estimate made: what the next one reserves. */
    private final Map<Map<String, Integer>, Map<String, Integer>> preflightCalls =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Gives back what the preflight reserved and did not call, and takes what it called beyond that. */
    private void settle(Map<String, Integer> estimate, Map<String, Integer> made) {
        preflightCalls.put(estimate, made);
        Map<String, Integer> unused = new java.util.HashMap<>();
        Map<String, Integer> beyond = new java.util.HashMap<>();
        java.util.Set<String> services = new java.util.HashSet<>(reservedCalls.keySet());
        services.addAll(made.keySet());
        for (String svc : services) {
            int d = reservedCalls.getOrDefault(svc, 0) - made.getOrDefault(svc, 0);
            if (d > 0) {
                unused.put(svc, d);
            } else if (d < 0) {
                beyond.put(svc, -d);
            }
        }
        reservedCalls = Map.of();
        rateBudget.refund(unused, scheduler.now());
        rateBudget.reserve(beyond, scheduler.now());
    }

    private void remove(Admission a) {
        synchronized (admissions) {
            admissions.remove(a);
        }
    }

    /**
     * The read-only checks of {@code cutover plan --check}, made before a cutover changes anything: the preflight
     * of {@link #start}, then each in-place update's change set previewed (and deleted) for replacements of
     * stateful resources, blue's stack's drift, and the caller's permissions simulated against the plan's IAM
     * policy ({@link AccountCheck}). {@code sleep} waits while a change set or drift detection is computed.
     */
    public AccountCheck.Report check(Plan plan, java.util.function.Consumer<Duration> sleep) {
        return AccountCheck.run(
                plan,
                kinds,
                cloud,
                () -> Preflight.check(plan, kinds, cloud, hooks, environmentVariables, false, retryPolicy),
                sleep);
    }

    /**
     * The checks of {@link #check} that {@link #start} does not make itself (its preflight's reads are not made
     * twice): for a caller that starts the cutover right after. The plan's own fields are checked first.
     */
    public AccountCheck.Report checkBeforeStart(Plan plan, java.util.function.Consumer<Duration> sleep) {
        return AccountCheck.run(plan, kinds, cloud, () -> io.cutover.plan.PlanValidator.validate(plan, kinds), sleep);
    }

    private CutoverRun start(Plan plan, boolean rethrowRetryable, Fence fence) {
        return start(plan, rethrowRetryable, fence, new RateBudget.Priority(scheduler.now(), order.getAndIncrement()));
    }

    private CutoverRun start(Plan plan, boolean rethrowRetryable, Fence fence, RateBudget.Priority priority) {
        SharedReads.View reads = sharedReads.forPreflight(cloud);
        Map<io.cutover.plan.StepId, Map<String, String>> remembered;
        try {
            remembered =
                    Preflight.check(plan, kinds, reads, hooks, environmentVariables, rethrowRetryable, retryPolicy);
        } finally {
            if (rethrowRetryable && rateBudget.limits()) {
                settle(Preflight.calls(plan, kinds), reads.made());
            }
        }
        if (fence.check() instanceof Fence.Lost lost) {
            throw new io.cutover.FenceLostException(
                    "not starting cutover of " + plan.environment().name() + ": " + lost.reason());
        }
        // The store refuses a second cutover of the environment, naming who holds it, in the same step that
        // takes the lock.
        RunState first = RunState.start(plan, scheduler.now(), owner);
        for (var e : remembered.entrySet()) {
            first = first.withStep(e.getKey(), first.step(e.getKey()).withMemo(e.getValue()), scheduler.now());
        }
        RunState initial = store.create(first);
        priorities.put(initial.runId(), priority);
        CutoverRun run = new CutoverRun(this, initial, fence);
        run.begin(false, r -> {});
        return run;
    }

    /**
     * Takes over a cutover from its stored state, after its process died or from another machine: steps
     * that were in flight are polled (a step whose first call may not have happened is submitted again, which
     * is harmless because names and tokens are derived from the plan), then the cutover goes on.
     */
    public CutoverRun resume(String runId) {
        return resume(runId, run -> {});
    }

    /**
     * Takes over a cutover as {@link #resume(String)} does, and acts on it (approve, roll back, decommission)
     * before any step that became ready starts: a rollback of a cutover whose verification had just passed
     * removes green rather than first moving users to it.
     */
    public CutoverRun resume(String runId, java.util.function.Consumer<CutoverRun> first) {
        return resume(runId, Fence.none(), first);
    }

    /**
     * Takes over a cutover as {@link #resume(String, java.util.function.Consumer)} does, making every changing
     * call only while {@code fence} holds (see {@link #start(Plan, Fence)}).
     */
    public CutoverRun resume(String runId, Fence fence, java.util.function.Consumer<CutoverRun> first) {
        RunState stored = store.load(runId)
                .orElseThrow(() -> new RefusedException(
                        "no cutover '" + runId + "' in the state store; known: " + store.runIds()));
        CutoverRun run = new CutoverRun(this, stored, fence);
        run.begin(true, first);
        return run;
    }

    /** The stored state of a cutover, if there is one. */
    public Optional<RunState> state(String runId) {
        return store.load(runId);
    }

    /** A preview of a plan: its steps in order, what each will change and how each is undone. */
    public static String preview(Plan plan) {
        return PlanPreview.render(plan, StepKinds.builtIn());
    }

    /** A preview of a plan whose steps are of {@code kinds}. */
    public static String preview(Plan plan, StepKinds kinds) {
        return PlanPreview.render(plan, kinds);
    }

    /** The step kinds this engine knows. */
    public StepKinds stepKinds() {
        return kinds;
    }

    CloudProvider cloud() {
        return cloud;
    }

    /**
     * The cloud {@code run}'s steps call (before its fence): template validations shared among the engine's
     * cutovers, and Route 53 changes batched with theirs when {@link Builder#batchDnsChanges()} is on.
     */
    CloudProvider cloudFor(CutoverRun run) {
        return sharedReads.forSteps(
                cloud, d -> dnsBatcher.map(b -> b.forRun(run, d)).orElse(d));
    }

    /** A cutover's turn in the rate budget: its submission (or start), oldest first. */
    RateBudget.Priority priority(String runId, java.time.Instant createdAt) {
        RateBudget.Priority p = priorities.get(runId);
        return p != null ? p : new RateBudget.Priority(createdAt, 0);
    }

    /**
     * Reads this engine answered once for its cutovers ({@code shared}) and Route 53 requests its batches
     * sent ({@code dnsRequests}): what a fleet saved.
     */
    public java.util.Map<String, Integer> sharedCalls() {
        return java.util.Map.of(
                "sharedReads",
                sharedReads.answered(),
                "dnsRequests",
                dnsBatcher.map(DnsBatcher::requests).orElse(0));
    }

    StateStore store() {
        return store;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Hooks hooks() {
        return hooks;
    }

    List<CutoverListener> listeners() {
        return listeners;
    }

    PollPolicy pollPolicy() {
        return pollPolicy;
    }

    DurationEstimates durationEstimates() {
        return durationEstimates;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    String owner() {
        return owner;
    }

    Function<String, String> environmentVariables() {
        return environmentVariables;
    }

    SecretStore secrets() {
        return secrets;
    }

    RateBudget rateBudget() {
        return rateBudget;
    }

    Optional<Duration> followEvery() {
        return followEvery;
    }

    synchronized double nextJitter() {
        return random.nextDouble();
    }

    /** Builds an {@link Engine}; the cloud and the state store are required. */
    public static final class Builder {
        private CloudProvider cloud;
        private StateStore store;
        private Scheduler scheduler;
        private Hooks hooks = Hooks.none();
        private final List<CutoverListener> listeners = new ArrayList<>(List.of(new LoggingListener()));
        private PollPolicy pollPolicy = PollPolicy.ofDefaults();
        private DurationEstimates durationEstimates = DurationEstimates.inMemory();
        private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
        private String owner = defaultOwner();
        private Function<String, String> environmentVariables = System::getenv;
        private SecretStore secrets = SecretStore.none();
        private RateBudget rateBudget = RateBudget.unlimited();
        private StepKinds kinds = StepKinds.builtIn();
        private long seed = 1;
        private Optional<Duration> followEvery = Optional.empty();
        private boolean batchDnsChanges;

        public Builder cloud(CloudProvider cloud) {
            this.cloud = cloud;
            return this;
        }

        public Builder stateStore(StateStore store) {
            this.store = store;
            return this;
        }

        /** Where time and threads come from; {@link SystemScheduler} by default. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder hooks(Hooks hooks) {
            this.hooks = hooks;
            return this;
        }

        public Builder listener(CutoverListener listener) {
            this.listeners.add(listener);
            return this;
        }

        /** Drops the default SLF4J listener (for example when a progress display prints instead). */
        public Builder withoutLogging() {
            this.listeners.removeIf(l -> l instanceof LoggingListener);
            return this;
        }

        /**
         * Where the engine records what operations took and finds what the next one of a kind should take; share
         * one store between engines (a fleet's waves, an account's cutovers) to share what they learn. Default:
         * this engine's own, in memory.
         */
        public Builder durationEstimates(DurationEstimates estimates) {
            this.durationEstimates = java.util.Objects.requireNonNull(estimates, "estimates");
            return this;
        }

        public Builder pollPolicy(PollPolicy policy) {
            this.pollPolicy = policy;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        /** Who this engine is, in locks and state ({@code host/pid} by default). */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** Where {@code ${env:NAME}} references are read; the process environment by default. */
        public Builder environmentVariables(Function<String, String> lookup) {
            this.environmentVariables = lookup;
            return this;
        }

        /**
         * The account's rate budget, shared by every engine and cutover of one account and region: the engine
         * reserves each step's calls in it and makes them when the reservation comes due. Unlimited by default.
         */
        public Builder rateBudget(RateBudget budget) {
            this.rateBudget = budget;
            return this;
        }

        /** Where {@code ${secret:...}} references are read (for AWS: the adapter's Secrets Manager store). */
        public Builder secrets(SecretStore secrets) {
            this.secrets = secrets;
            return this;
        }

        /** The step kinds plans may use; {@link StepKinds#builtIn()} by default. */
        public Builder stepKinds(StepKinds kinds) {
            this.kinds = Preconditions.checkNotNull(kinds, "stepKinds");
            return this;
        }

        /**
         * How often a cutover this engine drives re-reads its saved state, to notice a newer version saved by
         * another process (an approval or a rollback from another shell, a takeover) while it only waits (a
         * bake): it then stops driving it, and {@link CutoverRun#settled()} fails with a
         * {@link io.cutover.TakenOverException} saying what happened. Off by default: a simulation in virtual time
         * would never run out of tasks. The command-line tool follows every 5 s.
         */
        public Builder followEvery(Duration every) {
            Preconditions.checkArgument(
                    every != null && !every.isNegative() && !every.isZero(), "followEvery: a positive duration");
            this.followEvery = Optional.of(every);
            return this;
        }

        /**
         * Sends the Route 53 changes of the engine's cutovers in one hosted zone together, as one request each time
         * the account's budget grants one ({@link DnsBatcher}): for fleets, where Route 53's five requests a second
         * for the whole account are what cutovers wait for. A step then saves a queued change's id, which only this
         * engine knows; after a crash the step makes its change again. Off by default.
         */
        public Builder batchDnsChanges() {
            this.batchDnsChanges = true;
            return this;
        }

        /** The seed of the retry jitter, so simulations are repeatable. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }

        private static String defaultOwner() {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
