package io.cutover.simulator;

import io.cutover.spi.ApiService;
import io.cutover.spi.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-service API rate limits as token buckets, refilled in the simulated cloud's (virtual) time. A call
 * beyond the bucket is answered with a throttling error, as AWS does. {@link #ofAws()} takes AWS's figures
 * from {@link ApiService#awsLimit()}, where their sources are named.
 */
public final class RateLimits {
    private final Map<ApiService, RateLimit> buckets;
    private final Map<ApiService, double[]> levels = new EnumMap<>(ApiService.class);
    private final Map<ApiService, Instant> refilled = new EnumMap<>(ApiService.class);
    private final Map<String, Integer> throttled = new HashMap<>();

    private RateLimits(Map<ApiService, RateLimit> buckets) {
        Map<ApiService, RateLimit> m = new EnumMap<>(ApiService.class);
        m.putAll(buckets);
        this.buckets = Collections.unmodifiableMap(m);
    }

    public static RateLimits ofAws() {
        Map<ApiService, RateLimit> m = new EnumMap<>(ApiService.class);
        for (ApiService s : ApiService.values()) {
            m.put(s, s.awsLimit());
        }
        return new RateLimits(m);
    }

    /** Route 53's 2026 limits: 50 burst, 10 a second. */
    public static RateLimits ofAws2026() {
        return ofAws().with(ApiService.ROUTE53, RateLimit.of(50, 10));
    }

    public static RateLimits unlimited() {
        return new RateLimits(Map.of());
    }

    public RateLimits with(ApiService service, RateLimit bucket) {
        var m = new HashMap<>(buckets);
        m.put(service, bucket);
        return new RateLimits(m);
    }

    /** Takes a token for a call to {@code service}; false when the call must be throttled. */
    synchronized boolean tryAcquire(ApiService service, Instant now) {
        RateLimit b = buckets.get(service);
        if (b == null) {
            return true;
        }
        double[] level = levels.computeIfAbsent(service, k -> new double[] {b.burst()});
        Instant last = refilled.getOrDefault(service, now);
        double secs = Math.max(0, Duration.between(last, now).toNanos() / 1e9);
        level[0] = Math.min(b.burst(), level[0] + secs * b.perSecond());
        refilled.put(service, now);
        // A token that is whole but for floating-point rounding is whole: AWS counts tokens, not fractions of
        // nanoseconds, and a caller that paced itself to the exact refill must not be throttled for it.
        if (level[0] >= 1 - 1e-6) {
            level[0] = Math.max(0, level[0] - 1);
            return true;
        }
        throttled.merge(service.id(), 1, Integer::sum);
        return false;
    }

    /** Throttling errors answered so far, by service id ({@link ApiService#id()}). */
    public synchronized Map<String, Integer> throttled() {
        return Map.copyOf(throttled);
    }

    /** The limits, in the order of {@link ApiService}. */
    public Map<ApiService, RateLimit> buckets() {
        return buckets;
    }
}
