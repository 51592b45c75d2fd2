package io.cutover.engine;

import io.cutover.spi.ApiService;
import io.cutover.spi.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
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

    /** Whether this budget limits anything. */
    public boolean limits() {
        return !buckets.isEmpty();
    }
}
