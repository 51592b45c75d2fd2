package io.cutover.fleet;

import com.google.common.base.Preconditions;
import io.cutover.CutoverException;
import io.cutover.FenceLostException;
import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.Scheduler;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fleet: every environment's cutover, wave after wave, at most {@link Fleet#concurrency()} at once in
 * this process. Any number of processes, on any number of machines, may run the same fleet against the same
 * store: each environment is driven by the process that holds its lease ({@link EnvironmentLeases}), and the
 * waves, the failure count and what is left to do are read from the shared store, so the processes split
 * the work without talking to each other. When a process dies, its environments' leases run out and the
 * others resume those cutovers from the stored state.
 *
 * <p>A wave starts when every environment of the waves before it has settled (done, failed, rolled back,
 * or waiting at a gate). When a wave has more failures (failed or rolled back) than the fleet's threshold,
 * no new environment is started, by any process; cutovers already begun are finished (or resumed), and the
 * environments not started are left untouched.
 *
 * <pre>{@code
 * FleetRun run = FleetRunner.builder()
 *     .fleet(FleetFiles.load(Path.of("fleet.yaml")))
 *     .store(DynamoDbStateStore.of(dynamo, table))
 *     .leases(DynamoDbLeases.builder(dynamo, table).build())
 *     .engines(env -> Engine.builder().cloud(cloudFor(env.target())).stateStore(store).scheduler(scheduler).build())
 *     .scheduler(scheduler)
 *     .build().start();
 * FleetSummary end = run.finished().get();
 * }</pre>
 */
public final class FleetRunner {
    private static final Logger LOG = LoggerFactory.getLogger(FleetRunner.class);

    private final Fleet fleet;
    private final StateStore store;
    private final EnvironmentLeases leases;
    private final Function<FleetEnvironment, Engine> engines;
    private final Scheduler scheduler;
    private final Duration checkEvery;
    private final Duration startSpacing;

    private FleetRunner(Builder b) {
        this.fleet = Preconditions.checkNotNull(b.fleet, "fleet: load one with FleetFiles.load");
        this.store = Preconditions.checkNotNull(b.store, "store: the state store the processes share");
        this.leases = Preconditions.checkNotNull(b.leases, "leases: DynamoDbLeases, or LocalLeases on one machine");
        this.engines = Preconditions.checkNotNull(b.engines, "engines: an engine per environment on the same store");
        this.scheduler = Preconditions.checkNotNull(b.scheduler, "scheduler: the engines' scheduler");
        this.checkEvery = b.checkEvery;
        this.startSpacing = b.startSpacing;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts this process's share of the fleet; returns at once. */
    public FleetRun start() {
        FleetRun run = new FleetRun();
        scheduler.schedule(Duration.ZERO, run::pump);
        return run;
    }

    /** This process's run of a fleet. */
    public final class FleetRun {
        private final Map<String, Local> local = new LinkedHashMap<>();
        private final Map<String, Engine> engineByEnv = new HashMap<>();
        private final Map<String, String> refused = new LinkedHashMap<>();
        private final Map<String, RunStatus> settledForGood = new HashMap<>();
        private final Map<String, Instant> nextStart = new HashMap<>();
        private final CompletableFuture<FleetSummary> finished = new CompletableFuture<>();
        private Duration nextCheck;
        private Optional<String> stopped = Optional.empty();
        private boolean closed;
        private int started;
        private int resumed;

        private record Local(CutoverRun run, Lease lease) {}

        /** Completes with the summary when nothing is left for any process to do. */
        public CompletableFuture<FleetSummary> finished() {
            return finished;
        }

        /** The fleet as it stands now, from the shared state. */
        public synchronized FleetSummary summary() {
            return FleetSummary.read(fleet, store, Optional.of(leases), refused, stopped);
        }

        /** Cutovers this process started, and took over or resumed. */
        public synchronized int started() {
            return started;
        }

        public synchronized int resumed() {
            return resumed;
        }

        /** Stops taking new environments; cutovers running in this process go on until they settle. */
        public synchronized void close() {
            closed = true;
        }

        private synchronized void pump() {
            if (finished.isDone()) {
                return;
            }
            nextCheck = checkEvery;
            try {
                step();
            } catch (RuntimeException e) {
                // the store or the leases could not be reached: try again at the next check
                LOG.warn("fleet {}: {}; trying again in {}", fleet.id(), e.getMessage(), checkEvery, e);
            }
            if (!finished.isDone()) {
                scheduler.schedule(nextCheck, this::pump);
            }
        }

        private void step() {
            Map<String, Optional<RunState>> states = new HashMap<>();
            for (FleetEnvironment e : fleet.environments()) {
                RunStatus known = settledForGood.get(e.name());
                states.put(e.name(), known != null ? Optional.empty() : store.load(e.runId()));
                states.get(e.name())
                        .filter(s -> s.status().terminal())
                        .ifPresent(s -> settledForGood.put(e.name(), s.status()));
            }
            int waves = fleet.waveSizes().size();
            int open = 0;
            for (int w = 0; w < waves; w++) {
                int failures = 0;
                boolean settled = true;
                for (FleetEnvironment e : fleet.wave(w)) {
                    RunStatus st = status(e, states);
                    if (st == RunStatus.FAILED || st == RunStatus.ROLLED_BACK || refused.containsKey(e.name())) {
                        failures++;
                    } else if (st == null || !(st.terminal() || st == RunStatus.WAITING)) {
                        settled = false;
                    }
                }
                int allowed =
                        fleet.maxFailuresPerWave().allowed(fleet.waveSizes().get(w));
                if (failures > allowed && stopped.isEmpty()) {
                    stopped = Optional.of("wave " + (w + 1) + " has " + failures + " failed or rolled-back environment"
                            + (failures == 1 ? "" : "s") + ", more than the " + allowed
                            + " allowed (maxFailuresPerWave "
                            + fleet.maxFailuresPerWave() + "); no new environment is started");
                    LOG.warn("fleet {}: {}", fleet.id(), stopped.get());
                }
                open = w;
                if (!settled) {
                    break;
                }
            }
            boolean anyUnsettled = false;
            for (FleetEnvironment e : fleet.environments()) {
                RunStatus st = status(e, states);
                boolean hasRun = st != null;
                if (refused.containsKey(e.name()) || (hasRun && (st.terminal() || st == RunStatus.WAITING))) {
                    continue;
                }
                boolean mayStart = !hasRun && stopped.isEmpty() && !closed && e.wave() <= open;
                if (hasRun || local.containsKey(e.name())) {
                    anyUnsettled = true;
                } else if (mayStart) {
                    anyUnsettled = true;
                }
                if (local.containsKey(e.name()) || closed || local.size() >= fleet.concurrency()) {
                    continue;
                }
                if (hasRun || mayStart) {
                    take(e, hasRun);
                }
            }
            if (!anyUnsettled && local.isEmpty()) {
                FleetSummary end = FleetSummary.read(fleet, store, Optional.of(leases), refused, stopped);
                LOG.info(
                        "fleet {} finished in this process ({} started, {} resumed):\n{}",
                        fleet.id(),
                        started,
                        resumed,
                        end.render());
                finished.complete(end);
            }
        }

        private RunStatus status(FleetEnvironment e, Map<String, Optional<RunState>> states) {
            RunStatus known = settledForGood.get(e.name());
            if (known != null) {
                return known;
            }
            return states.get(e.name()).map(RunState::status).orElse(null);
        }

        /** Takes the environment's lease and starts or resumes its cutover; leaves it to its holder otherwise. */
        private void take(FleetEnvironment e, boolean hasRun) {
            Instant now0 = scheduler.now();
            Instant due = nextStart.getOrDefault(e.target(), Instant.MIN);
            if (!hasRun && now0.isBefore(due)) {
                // new starts are spaced per account and region: each begins with a burst of read calls
                Duration wait = Duration.between(now0, due);
                nextCheck = wait.compareTo(nextCheck) < 0 ? wait : nextCheck;
                return;
            }
            LeaseAttempt attempt = leases.tryAcquire(e.name(), e.runId());
            if (attempt instanceof LeaseAttempt.Held) {
                LOG.debug(
                        "fleet {}: {} is held by {}",
                        fleet.id(),
                        e.name(),
                        ((LeaseAttempt.Held) attempt).holder().describe());
                return;
            }
            Lease lease = ((LeaseAttempt.Acquired) attempt).lease();
            // Read again under the lease: another process may have moved it on since the look above.
            Optional<RunState> now = store.load(e.runId());
            if (now.isPresent() && (now.get().status().terminal() || now.get().status() == RunStatus.WAITING)) {
                lease.release();
                return;
            }
            if (now.isEmpty() && (hasRun || stopped.isPresent())) {
                lease.release();
                return;
            }
            Engine engine = engineByEnv.computeIfAbsent(e.name(), k -> engines.apply(e));
            CutoverRun run;
            try {
                if (now.isPresent()) {
                    LOG.info(
                            "fleet {}: resuming {} (last driven by {})",
                            fleet.id(),
                            e.name(),
                            now.get().owner());
                    run = engine.resume(e.runId(), lease.fence(leases.fenceMargin()), r -> {});
                    resumed++;
                } else {
                    LOG.info("fleet {}: starting {} (wave {})", fleet.id(), e.name(), e.wave() + 1);
                    nextStart.put(e.target(), now0.plus(startSpacing));
                    run = engine.start(e.plan(), lease.fence(leases.fenceMargin()));
                    started++;
                }
            } catch (FenceLostException ex) {
                // this process was too slow to hold the lease; whoever holds it now drives the environment
                lease.release();
                LOG.warn("fleet {}: {} left to the lease's next holder: {}", fleet.id(), e.name(), ex.getMessage());
                return;
            } catch (InvalidPlanException ex) {
                lease.release();
                if (ex.retryable()) {
                    // throttled or transient reads in the preflight: the plan may well be fine, so try again later
                    LOG.info(
                            "fleet {}: {} could not be checked yet ({}); trying again",
                            fleet.id(),
                            e.name(),
                            ex.getMessage());
                    nextStart.put(e.target(), now0.plus(startSpacing.multipliedBy(5)));
                    return;
                }
                refused.put(e.name(), ex.getMessage());
                LOG.warn("fleet {}: {} not started: {}", fleet.id(), e.name(), ex.getMessage());
                return;
            } catch (CutoverException ex) {
                // refused by the preflight (blue is not as the plan says) or by another cutover of the environment
                lease.release();
                refused.put(e.name(), ex.getMessage());
                LOG.warn("fleet {}: {} not started: {}", fleet.id(), e.name(), ex.getMessage());
                return;
            }
            local.put(e.name(), new Local(run, lease));
            run.settled().whenComplete((s, err) -> scheduler.schedule(Duration.ZERO, () -> settled(e.name())));
        }

        private void settled(String env) {
            synchronized (this) {
                Local l = local.remove(env);
                if (l != null) {
                    l.lease().release();
                    LOG.info(
                            "fleet {}: {} settled: {}", fleet.id(), env, l.run().status());
                }
            }
            pump();
        }
    }

    /** Configures a {@link FleetRunner}; every part is required except {@link #checkEvery}. */
    public static final class Builder {
        private Fleet fleet;
        private StateStore store;
        private EnvironmentLeases leases;
        private Function<FleetEnvironment, Engine> engines;
        private Scheduler scheduler;
        private Duration checkEvery = Duration.ofSeconds(2);
        private Duration startSpacing = Duration.ofSeconds(1);

        public Builder fleet(Fleet fleet) {
            this.fleet = fleet;
            return this;
        }

        /** The store every process of the fleet shares (and every engine uses). */
        public Builder store(StateStore store) {
            this.store = store;
            return this;
        }

        public Builder leases(EnvironmentLeases leases) {
            this.leases = leases;
            return this;
        }

        /**
         * An engine for an environment, on {@link #store} and {@link #scheduler}. Engines of one account and
         * region should share one cloud and one API rate budget ({@code RateBudget.ofAws()}), and one
         * {@code DurationEstimates} ({@code Engine.builder().durationEstimates(store)}) so what the canary wave's
         * operations took sets when the later waves look again.
         */
        public Builder engines(Function<FleetEnvironment, Engine> engines) {
            this.engines = engines;
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** How often the shared state is read for other processes' progress and dead holders; 2 s by default. */
        public Builder checkEvery(Duration checkEvery) {
            Preconditions.checkArgument(
                    checkEvery != null && checkEvery.toMillis() > 0, "checkEvery: a positive duration");
            this.checkEvery = checkEvery;
            return this;
        }

        /**
         * The least time between two new cutovers in one account and region, from this process (1 s by
         * default): each starts with a burst of read calls that shares the account's API rate limits.
         */
        public Builder startSpacing(Duration startSpacing) {
            Preconditions.checkArgument(
                    startSpacing != null && !startSpacing.isNegative(), "startSpacing: zero or more");
            this.startSpacing = startSpacing;
            return this;
        }

        public FleetRunner build() {
            return new FleetRunner(this);
        }
    }
}
