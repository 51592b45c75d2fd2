package io.cutover.engine;

import io.cutover.spi.ApiService;
import io.cutover.spi.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's share of an account's API rate limits, per service, as token buckets with reservations:
 * before a step's call, the engine reserves the calls it will make and runs it when the reservation comes
 * due, so cutovers that share a budget queue for the service in the order they asked, instead of all
 * calling, being throttled and backing off at random. Share one budget among all the engines and
 * cutovers of one account and region (AWS's limits are per account and region).
 *
 * <p>A bucket holds up to {@code burst} tokens, refilled at {@code perSecond} on the engine's clock (so it
 * works in virtual time). A reservation takes its tokens at once and may take the bucket below zero; it
 * then waits until the refill has covered it, and every later reservation waits behind it. Unlike Guava's
 * RateLimiter, which lets a caller go first and pay later, every call here waits for its own tokens,
 * because the service counts each call when it arrives.
 *
 * <p>{@link #acquire} is the engine's way in: a request waits in a queue ordered by its {@link Priority} (the
 * cutover's submission time, then its place in the submission order), and is granted when its services hold
 * the tokens, oldest cutover first. When tokens are scarce, the next phase of a cutover that started earlier
 * so goes before a later cutover's, and before the preflight of one not yet admitted: a fleet's first
 * cutovers finish at the pace of one cutover, instead of every cutover finishing late. A request is held back
 * only by an older one waiting for the same service, so a CloudFormation call never waits behind a Route 53
 * one. {@link #refund} gives back tokens a reservation counted for a call that was not made (a read answered
 * from the engine's shared reads, a change that joined a batch).
 */
public final class RateBudget {
    /** Service names, as the steps count their calls: the ids of {@link ApiService}. */
    public static final String CLOUDFORMATION = ApiService.CLOUDFORMATION.id();

    public static final String RDS = ApiService.RDS.id();
    public static final String EC2_MUTATE = ApiService.EC2_MUTATE.id();
    public static final String EC2_DESCRIBE = ApiService.EC2_DESCRIBE.id();
    public static final String ROUTE53 = ApiService.ROUTE53.id();

    private static final class Bucket {
        final RateLimit limit;
        /** Tokens at {@code at}; below zero when reservations are waiting for tokens not yet refilled. */
        double level;

        Instant at;

        Bucket(RateLimit limit) {
            this.limit = limit;
            this.level = limit.burst();
        }
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    /**
     * The order of requests when tokens are scarce: earlier {@code at} first, then lower {@code order} (a
     * cutover's place among those submitted at the same instant).
     */
    public record Priority(Instant at, long order) implements Comparable<Priority> {
        public Priority {
            java.util.Objects.requireNonNull(at, "at");
        }

        @Override
        public int compareTo(Priority o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** A request waiting for its tokens. */
    private record Waiting(Map<String, Integer> calls, Priority priority, long seq, Scheduler scheduler, Runnable go) {}

    private final java.util.TreeSet<Waiting> waiting = new java.util.TreeSet<>(
            java.util.Comparator.comparing(Waiting::priority).thenComparingLong(Waiting::seq));
    private long nextSeq;
    private Scheduler.Cancellable timer;
    private Instant timerAt;
    private Scheduler lastScheduler;

    private RateBudget(Map<ApiService, RateLimit> limits) {
        limits.forEach((k, v) -> buckets.put(k.id(), new Bucket(v)));
    }

    /** No limits: calls go out when the engine makes them. */
    public static RateBudget unlimited() {
        return new RateBudget(Map.of());
    }

    /** AWS's published figures, from {@link ApiService#awsLimit()}. */
    public static RateBudget ofAws() {
        Map<ApiService, RateLimit> limits = new EnumMap<>(ApiService.class);
        for (ApiService s : ApiService.values()) {
            limits.put(s, s.awsLimit());
        }
        return of(limits);
    }

    public static RateBudget of(Map<ApiService, RateLimit> limits) {
        return new RateBudget(limits);
    }

    /**
     * Reserves {@code calls} (per service) at {@code now}; returns how long the caller must wait before
     * making them (zero when the buckets hold enough).
     */
    public synchronized Duration reserve(Map<String, Integer> calls, Instant now) {
        Duration wait = Duration.ZERO;
        for (Map.Entry<String, Integer> c : calls.entrySet()) {
            Bucket b = buckets.get(c.getKey());
            if (b == null || c.getValue() <= 0) {
                continue;
            }
            if (b.at != null && now.isAfter(b.at)) {
                double refill = Duration.between(b.at, now).toNanos() / 1e9 * b.limit.perSecond();
                b.level = Math.min(b.limit.burst(), b.level + refill);
            }
            b.at = now;
            // Every call of the reservation needs its token by the time it is made (the service counts each).
            b.level -= c.getValue();
            if (b.level < 0) {
                Duration w = Duration.ofNanos((long) Math.ceil(-b.level / b.limit.perSecond() * 1e9));
                if (w.compareTo(wait) > 0) {
                    wait = w;
                }
            }
        }
        return wait;
    }

    /**
     * Runs {@code go} on {@code scheduler} once the buckets hold {@code calls}, after every request of higher
     * {@code priority} that waits for one of the same services; the tokens are taken when it is granted. Returns
     * a handle that withdraws the request (a call that was superseded).
     */
    public Scheduler.Cancellable acquire(
            Map<String, Integer> calls, Priority priority, Scheduler scheduler, Runnable go) {
        Waiting w;
        synchronized (this) {
            w = new Waiting(Map.copyOf(calls), priority, nextSeq++, scheduler, go);
            waiting.add(w);
            lastScheduler = scheduler;
        }
        dispatch(scheduler.now());
        return () -> {
            synchronized (this) {
                waiting.remove(w);
            }
        };
    }

    /** Gives back tokens taken for calls that were not made; waiting requests may go at once. */
    public void refund(Map<String, Integer> calls, Instant now) {
        boolean any;
        synchronized (this) {
            for (Map.Entry<String, Integer> c : calls.entrySet()) {
                Bucket b = buckets.get(c.getKey());
                if (b != null && c.getValue() > 0) {
                    refill(b, now);
                    b.level = Math.min(b.limit.burst(), b.level + c.getValue());
                }
            }
            any = !waiting.isEmpty();
        }
        if (any) {
            dispatch(now);
        }
    }

    private static void refill(Bucket b, Instant now) {
        if (b.at != null && now.isAfter(b.at)) {
            double refill = Duration.between(b.at, now).toNanos() / 1e9 * b.limit.perSecond();
            b.level = Math.min(b.limit.burst(), b.level + refill);
        }
        if (b.at == null || now.isAfter(b.at)) {
            b.at = now;
        }
    }

    /**
     * Grants what can go now, in priority order; a request whose tokens are short holds back the younger ones
     * that want the same service, and the queue is looked at again when its tokens will have refilled.
     */
    private void dispatch(Instant now) {
        List<Waiting> granted = new ArrayList<>();
        synchronized (this) {
            buckets.values().forEach(b -> refill(b, now));
            java.util.Set<String> blocked = new java.util.HashSet<>();
            Duration soonest = null;
            for (java.util.Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                boolean ready = true;
                for (Map.Entry<String, Integer> c : w.calls().entrySet()) {
                    Bucket b = buckets.get(c.getKey());
                    if (b == null || c.getValue() <= 0) {
                        continue;
                    }
                    // A request larger than the burst goes when the bucket is full, and leaves it below zero.
                    double need = Math.min(c.getValue(), b.limit.burst());
                    if (blocked.contains(c.getKey())) {
                        ready = false;
                    } else if (b.level < need - 1e-9) {
                        ready = false;
                        blocked.add(c.getKey());
                        Duration d = Duration.ofNanos((long) Math.ceil((need - b.level) / b.limit.perSecond() * 1e9));
                        soonest = soonest == null || d.compareTo(soonest) < 0 ? d : soonest;
                    }
                }
                if (ready) {
                    w.calls().forEach((svc, n) -> {
                        Bucket b = buckets.get(svc);
                        if (b != null) {
                            b.level -= n;
                        }
                    });
                    it.remove();
                    granted.add(w);
                }
            }
            if (soonest != null && lastScheduler != null) {
                Instant at = now.plus(soonest);
                if (timerAt == null || !timerAt.isAfter(now) || at.isBefore(timerAt)) {
                    if (timer != null) {
                        timer.cancel();
                    }
                    timerAt = at;
                    Scheduler s = lastScheduler;
                    timer = s.schedule(soonest, () -> dispatch(s.now()));
                }
            }
        }
        // Outside the budget's lock, and as tasks of their own: a grant never runs a cutover's call under another's
        // lock.
        granted.forEach(w -> w.scheduler().schedule(Duration.ZERO, w.go()));
    }

    /** Requests waiting for tokens now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Whether this budget limits anything. */
    public boolean limits() {
        return !buckets.isEmpty();
    }
}
