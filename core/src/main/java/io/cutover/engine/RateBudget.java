package io.cutover.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
 */
public final class RateBudget {
    /** Service names, as the steps count their calls. */
    public static final String CLOUDFORMATION = io.cutover.step.Services.CLOUDFORMATION;

    public static final String RDS = io.cutover.step.Services.RDS;
    public static final String EC2_MUTATE = io.cutover.step.Services.EC2_MUTATE;
    public static final String EC2_DESCRIBE = io.cutover.step.Services.EC2_DESCRIBE;
    public static final String ROUTE53 = io.cutover.step.Services.ROUTE53;

    /** A bucket's size and refill rate. */
    public record Limit(double burst, double perSecond) {
        public Limit {
            if (burst < 1 || perSecond <= 0) {
                throw new IllegalArgumentException("a limit needs a burst of at least 1 and a positive rate");
            }
        }
    }

    private static final class Bucket {
        final Limit limit;
        /** Tokens at {@code at}; below zero when reservations are waiting for tokens not yet refilled. */
        double level;

        Instant at;

        Bucket(Limit limit) {
            this.limit = limit;
            this.level = limit.burst();
        }
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    private RateBudget(Map<String, Limit> limits) {
        limits.forEach((k, v) -> buckets.put(k, new Bucket(v)));
    }

    /** No limits: calls go out when the engine makes them. */
    public static RateBudget unlimited() {
        return new RateBudget(Map.of());
    }

    /**
     * AWS's published figures: Route 53 5 a second; RDS 300 burst, 12 a second; EC2 mutating calls 50 burst,
     * 5 a second, describe calls 100 burst, 20 a second; CloudFormation, which publishes none, a guess of 20
     * burst, 4 a second.
     */
    public static RateBudget ofAws() {
        return of(Map.of(
                ROUTE53,
                new Limit(5, 5),
                RDS,
                new Limit(300, 12),
                EC2_MUTATE,
                new Limit(50, 5),
                EC2_DESCRIBE,
                new Limit(100, 20),
                CLOUDFORMATION,
                new Limit(20, 4)));
    }

    public static RateBudget of(Map<String, Limit> limits) {
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

    /** Whether this budget limits anything. */
    public boolean limits() {
        return !buckets.isEmpty();
    }
}
