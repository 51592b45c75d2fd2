package io.cutover.engine;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import io.cutover.step.Operations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When the engine asks again about an operation that is not finished, and how long it may run.
 *
 * <p>For an operation with a call budget ({@code callEvery}, the interval of the AWS SDK's waiter for it), the
 * engine believes its duration lognormal: the median is the step's own estimate (from the database's storage) or
 * {@code expected}, with the spread {@code spread}, both moved towards what operations of its kind took before in
 * this engine or account ({@link DurationEstimates}). It then asks
 *
 * <ul>
 *   <li>when the operation reports progress (a snapshot's percent): at the finish the progress and the time so far
 *       point to, first at nine tenths of it;
 *   <li>otherwise (a stack, a DNS change): at steps of equal probability of a slightly wider lognormal, dense where
 *       the operation is likely to end and sparse in the tails, so it is found done soon after it ends;
 *   <li>never faster than its budget: by any time {@code t} after the submit, at most {@code 1 + t / callEvery}
 *       polls, no more than the SDK's waiter makes.
 * </ul>
 *
 * An operation without a budget (the emulator profile) is asked about when its expected duration has passed (at
 * most {@code maxWait} at a time), then every {@code lateFraction} of it, bounded by {@code minInterval} and
 * {@code maxInterval}. A step's own hint (a check interval, a TTL to wait out) always decides.
 *
 * @param expected the expected (median) duration by operation name, e.g. {@code database.snapshot}
 * @param spread the standard deviation of the natural logarithm of the duration, by operation name (default 0.5)
 * @param callEvery the call budget by operation name: one poll per this much of the operation's time
 */
public record PollPolicy(
        Map<String, Duration> expected,
        Duration fallbackExpected,
        Duration maxWait,
        double lateFraction,
        Duration minInterval,
        Duration maxInterval,
        Map<String, Double> spread,
        Map<String, Duration> callEvery) {
    private static final double DEFAULT_SPREAD = 0.5;
    /** z of the 99.9th percentile: an operation that reports no progress may run this far into its tail. */
    private static final double TAIL_Z = 3.09;
    /** Past its median, an operation is asked about at least every this share of its time so far. */
    private static final double TAIL_STEP = 0.03;

    public PollPolicy {
        expected = ImmutableMap.copyOf(expected);
        spread = ImmutableMap.copyOf(spread);
        callEvery = ImmutableMap.copyOf(callEvery);
        spread.forEach((op, sd) -> Preconditions.checkArgument(
                sd >= 0 && Double.isFinite(sd), "spread of %s is %s; give a number >= 0", op, sd));
        callEvery.forEach((op, d) -> Preconditions.checkArgument(
                !d.isNegative() && !d.isZero(), "callEvery of %s is %s; give a positive duration", op, d));
    }

    /** A policy without beliefs or budgets: every operation is asked about at its expected duration, then often. */
    public PollPolicy(
            Map<String, Duration> expected,
            Duration fallbackExpected,
            Duration maxWait,
            double lateFraction,
            Duration minInterval,
            Duration maxInterval) {
        this(expected, fallbackExpected, maxWait, lateFraction, minInterval, maxInterval, Map.of(), Map.of());
    }

    /**
     * Expectations from AWS's documented and commonly reported durations, their spreads (RDS's p90 about 2.5
     * times its median, a Route 53 change 30 to 90 s) and the AWS SDK's waiter intervals as call budgets (30 s for
     * RDS, CloudFormation and Route 53, 15 s for EBS snapshots, 5 s for Run Command); users can set their own
     * measured ones with {@link #withExpected}.
     */
    public static PollPolicy ofDefaults() {
        Duration thirty = Duration.ofSeconds(30);
        Duration five = Duration.ofSeconds(5);
        return new PollPolicy(
                Map.ofEntries(
                        Map.entry(Operations.DATABASE_SNAPSHOT, Duration.ofMinutes(5)),
                        Map.entry(Operations.VOLUME_SNAPSHOT, Duration.ofMinutes(3)),
                        Map.entry(Operations.DATABASE_RESTORE, Duration.ofMinutes(15)),
                        Map.entry(Operations.DATABASE_DELETE, Duration.ofMinutes(5)),
                        Map.entry(Operations.DATABASE_CLONE, Duration.ofMinutes(5)),
                        Map.entry(Operations.STACK_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_UPDATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.STACK_DELETE, Duration.ofMinutes(10)),
                        Map.entry(Operations.CHANGE_SET, Duration.ofSeconds(20)),
                        Map.entry(Operations.DNS_SYNC, Duration.ofSeconds(45)),
                        Map.entry(Operations.ADDRESS_MOVE, Duration.ofSeconds(5)),
                        Map.entry(Operations.FORWARD_SWITCH, Duration.ofSeconds(5)),
                        Map.entry(Operations.VOLUME_COPY, Duration.ofSeconds(1)),
                        Map.entry(Operations.BLUE_GREEN_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.BLUE_GREEN_SWITCHOVER, Duration.ofMinutes(1)),
                        Map.entry(Operations.BLUE_GREEN_DELETE, Duration.ofMinutes(5)),
                        Map.entry(Operations.REPLICA_CREATE, Duration.ofMinutes(20)),
                        Map.entry(Operations.REPLICA_PROMOTE, Duration.ofMinutes(5)),
                        Map.entry(Operations.COMMAND_RUN, Duration.ofSeconds(30))),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                0.02,
                Duration.ofSeconds(1),
                Duration.ofSeconds(15),
                Map.ofEntries(
                        Map.entry(Operations.DATABASE_SNAPSHOT, 0.7),
                        Map.entry(Operations.DATABASE_RESTORE, 0.7),
                        Map.entry(Operations.VOLUME_SNAPSHOT, 0.6),
                        Map.entry(Operations.STACK_CREATE, 0.7),
                        Map.entry(Operations.STACK_UPDATE, 0.7),
                        Map.entry(Operations.BLUE_GREEN_CREATE, 0.7),
                        Map.entry(Operations.DNS_SYNC, 0.3)),
                Map.ofEntries(
                        Map.entry(Operations.DATABASE_SNAPSHOT, thirty),
                        Map.entry(Operations.VOLUME_SNAPSHOT, Duration.ofSeconds(15)),
                        Map.entry(Operations.DATABASE_RESTORE, thirty),
                        Map.entry(Operations.DATABASE_DELETE, thirty),
                        Map.entry(Operations.STACK_CREATE, thirty),
                        Map.entry(Operations.STACK_UPDATE, thirty),
                        Map.entry(Operations.STACK_DELETE, thirty),
                        Map.entry(Operations.CHANGE_SET, thirty),
                        Map.entry(Operations.DNS_SYNC, thirty),
                        Map.entry(Operations.ADDRESS_MOVE, five),
                        Map.entry(Operations.FORWARD_SWITCH, five),
                        Map.entry(Operations.BLUE_GREEN_CREATE, thirty),
                        Map.entry(Operations.BLUE_GREEN_SWITCHOVER, thirty),
                        Map.entry(Operations.BLUE_GREEN_DELETE, thirty),
                        Map.entry(Operations.COMMAND_RUN, five)));
    }

    /**
     * For an AWS emulator (moto, LocalStack), where every operation finishes at once: the first poll comes a
     * second after the submit and later ones every second, so a whole cutover takes about as long as its calls
     * and its own waits (TTLs, checks, bake). The time limits stay those of {@link #ofDefaults()}: an emulator
     * that hangs is failed as AWS would be.
     */
    public static PollPolicy ofEmulator() {
        PollPolicy aws = ofDefaults();
        Map<String, Duration> quick = new java.util.HashMap<>();
        aws.expected.keySet().forEach(op -> quick.put(op, Duration.ofSeconds(1)));
        return new PollPolicy(
                quick,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1.0,
                Duration.ofMillis(500),
                Duration.ofSeconds(1));
    }

    public PollPolicy withExpected(String operation, Duration d) {
        var m = new java.util.HashMap<>(expected);
        m.put(operation, d);
        return new PollPolicy(m, fallbackExpected, maxWait, lateFraction, minInterval, maxInterval, spread, callEvery);
    }

    /**
     * How long an operation may run before the step gives up on it, unless the plan sets its own limit
     * ({@code io.cutover.plan.TimeLimits}) or its progress still rises: four times its expected duration, and
     * at least half an hour. Only operations with an expected duration have one; waits, checks and hooks keep
     * their own clocks.
     */
    public Optional<Duration> timeout(String operation) {
        Duration e = expected.get(operation);
        if (e == null) {
            return Optional.empty();
        }
        return Optional.of(limitFor(e));
    }

    /** The limit of an operation expected to take {@code expected}: four times that, and at least half an hour. */
    public static Duration limitFor(Duration expected) {
        Duration four = expected.multipliedBy(4);
        return four.compareTo(Duration.ofMinutes(30)) < 0 ? Duration.ofMinutes(30) : four;
    }

    public Duration expected(String operation) {
        return expected.getOrDefault(operation, fallbackExpected);
    }

    /** The delay before the next poll of an operation that has been running for {@code elapsed}, knowing nothing else. */
    public Duration next(String operation, Duration elapsed, Optional<Duration> hint) {
        return next(Waiting.of(operation, elapsed), hint);
    }

    /**
     * What the engine knows of an operation it waits on: how long it has run, how many calls found it running (the
     * submit included), the
     * progress it reported, the step's own estimate of its duration and what operations of its kind took before.
     */
    public record Waiting(
            String operation,
            Duration elapsed,
            int polls,
            Optional<Integer> percent,
            Optional<Duration> estimate,
            Optional<DurationEstimates.Estimate> learned) {
        public Waiting {
            Preconditions.checkNotNull(operation, "operation");
            Preconditions.checkArgument(!elapsed.isNegative(), "elapsed %s is negative", elapsed);
            Preconditions.checkArgument(polls >= 0, "polls %s is negative", polls);
        }

        public static Waiting of(String operation, Duration elapsed) {
            return new Waiting(operation, elapsed, 0, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** The belief about one operation's duration: lognormal with this median and spread (sigma of its logarithm). */
    public record Belief(Duration median, double spread) {
        /** The duration this belief gives probability {@code p} of not being exceeded. */
        public Duration quantile(double p) {
            return scaled(median, Math.exp(spread * Normal.quantile(p)));
        }
    }

    /**
     * The belief about an operation's duration: the step's estimate or {@link #expected(String)} as the median, with
     * {@code spread}, counted as one observation and pooled with what operations of its kind took before.
     */
    public Belief belief(String operation, Optional<Duration> estimate, Optional<DurationEstimates.Estimate> learned) {
        Duration prior = estimate.orElse(expected(operation));
        double sd = spread.getOrDefault(operation, DEFAULT_SPREAD);
        if (learned.isEmpty() || prior.isZero()) {
            return new Belief(prior, sd);
        }
        DurationEstimates.Estimate l = learned.get();
        double n = l.observations();
        double mu0 = Math.log(prior.toMillis());
        double mu1 = Math.log(l.median().toMillis());
        double mu = (mu0 + n * mu1) / (1 + n);
        // the pooled variance: the prior's, the observations' own, and how far the two disagree
        double variance =
                (sd * sd + n * l.spread() * l.spread()) / (1 + n) + n * Math.pow(mu1 - mu0, 2) / Math.pow(1 + n, 2);
        return new Belief(Duration.ofMillis(Math.max(1, Math.round(Math.exp(mu)))), Math.sqrt(variance));
    }

    /** The delay before the next poll of the operation {@code w} describes; a step's {@code hint} decides. */
    public Duration next(Waiting w, Optional<Duration> hint) {
        if (hint.isPresent()) {
            // The step knows its own rhythm (a check interval, a TTL to wait out).
            return hint.get();
        }
        Duration every = callEvery.get(w.operation());
        if (every == null) {
            return fixed(w.operation(), w.elapsed());
        }
        Belief b = belief(w.operation(), w.estimate(), w.learned());
        long t = w.elapsed().toMillis();
        long at = w.percent().filter(p -> p > 0 && p < 100).isPresent()
                ? byProgress(t, w.percent().get())
                : byBelief(b, t, every);
        // the budget: by time t after the submit, at most 1 + t / every polls besides it, as the SDK's waiter makes
        at = Math.max(at, (w.polls() - 1) * every.toMillis());
        long delay = Math.max(minInterval.toMillis(), Math.min(at - t, maxWait.toMillis()));
        return Duration.ofMillis(delay);
    }

    /**
     * The finish the progress points to. A whole percent leaves the finish between {@code t * 100 / (p + 1)} and
     * {@code t * 100 / p}: below 85 % the poll comes at nine tenths of the way to the earlier (a finer reading), then
     * at the later, where a steady operation has ended.
     */
    private static long byProgress(long t, int percent) {
        if (percent < 85) {
            long earliest = Math.round(t * 100.0 / (percent + 1));
            return t + Math.round((earliest - t) * 0.9);
        }
        return Math.round(t * 100.0 / percent);
    }

    /**
     * The next step of equal probability: polls at the quantiles {@code 1/k, 2/k, ...} of the belief widened by
     * the square root of two (spacing polls as the square root of the density keeps the expected lateness least
     * for their number), {@code k} twice the waiter's polls at the median; past the 99.9th percentile, often.
     */
    private long byBelief(Belief b, long t, Duration every) {
        double m = Math.max(1, b.median().toMillis());
        double s = b.spread() * Math.sqrt(2);
        double k = Math.max(3, 2 * (1 + m / every.toMillis()));
        double u = t <= 0 || s == 0 ? 0 : Normal.cdf((Math.log(t) - Math.log(m)) / s);
        double next = u + 1 / k;
        if (s > 0 && next < 0.999) {
            long at = Math.max(t + 1, Math.round(m * Math.exp(s * Normal.quantile(next))));
            // past the median the steps of probability grow long: no further apart than a small share of the time
            // so far (or the waiter's interval), so a slow operation is found late by a small share of its time
            return t >= m ? Math.min(at, t + Math.max(every.toMillis(), Math.round(t * TAIL_STEP))) : at;
        }
        if (t < m) {
            return Math.round(m);
        }
        // past the belief's end: a narrow belief (told the duration) looks again soon, a wide one at lateFraction
        long late = Math.round(m * Math.min(Math.max(b.spread(), 0.001), lateFraction));
        return t + Math.max(minInterval.toMillis(), Math.min(late, maxInterval.toMillis()));
    }

    private Duration fixed(String operation, Duration elapsed) {
        Duration exp = expected(operation);
        if (elapsed.compareTo(exp) < 0) {
            return min(exp.minus(elapsed), maxWait);
        }
        Duration late = Duration.ofMillis((long) (exp.toMillis() * lateFraction));
        return max(minInterval, min(late, maxInterval));
    }

    /**
     * How long an operation with this belief may run before its step gives up on it, unless the plan sets a limit:
     * {@link #limitFor} its median; and, for an operation that reports no progress (a stack, a DNS change), at
     * least its 99.9th percentile with the policy's own spread, so a slow one is not failed where an SDK waiter
     * would still wait. One that reports progress goes on past its limit while the progress rises.
     */
    public Duration limit(String operation, Belief b, boolean reportsProgress) {
        Duration byMedian = limitFor(b.median());
        if (reportsProgress || !callEvery.containsKey(operation)) {
            return byMedian;
        }
        double sd = Math.max(b.spread(), spread.getOrDefault(operation, DEFAULT_SPREAD));
        return max(byMedian, scaled(b.median(), Math.exp(TAIL_Z * sd)));
    }

    private static Duration scaled(Duration d, double factor) {
        return Duration.ofMillis(Math.round(d.toMillis() * factor));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
