package io.cutover.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-service API rate limits as token buckets, refilled in the simulated cloud's (virtual) time. A call
 * beyond the bucket is answered with a throttling error, as AWS does. Defaults are AWS's published
 * figures: Route 53 5 requests a second (Route 53 quotas); RDS 300 burst, 12 a second (RDS API
 * throttling); EC2 mutating calls 50 burst, 5 a second, and describe calls 100 burst, 20 a second (EC2 API
 * request throttling); CloudFormation is not published and is a guess: 20 burst, 4 a second.
 */
public final class RateLimits {
    /** One bucket: {@code burst} tokens, refilled at {@code perSecond}. */
    public record Bucket(double burst, double perSecond) {}

    private final Map<String, Bucket> buckets;
    private final Map<String, double[]> levels = new HashMap<>();
    private final Map<String, Instant> refilled = new HashMap<>();
    private final Map<String, Integer> throttled = new HashMap<>();

    private RateLimits(Map<String, Bucket> buckets) {
        this.buckets = Map.copyOf(buckets);
    }

    public static RateLimits ofAws() {
        return new RateLimits(Map.of(
                "route53", new Bucket(5, 5),
                "rds", new Bucket(300, 12),
                "ec2.mutate", new Bucket(50, 5),
                "ec2.describe", new Bucket(100, 20),
                "cloudformation", new Bucket(20, 4)));
    }

    /** Route 53's 2026 limits: 50 burst, 10 a second. */
    public static RateLimits ofAws2026() {
        var m = new HashMap<>(ofAws().buckets);
        m.put("route53", new Bucket(50, 10));
        return new RateLimits(m);
    }

    public static RateLimits unlimited() {
        return new RateLimits(Map.of());
    }

    public RateLimits with(String service, Bucket bucket) {
        var m = new HashMap<>(buckets);
        m.put(service, bucket);
        return new RateLimits(m);
    }

    /** Takes a token for a call to {@code service}; false when the call must be throttled. */
    synchronized boolean tryAcquire(String service, Instant now) {
        Bucket b = buckets.get(service);
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
        throttled.merge(service, 1, Integer::sum);
        return false;
    }

    /** Throttling errors answered so far, by service. */
    public synchronized Map<String, Integer> throttled() {
        return Map.copyOf(throttled);
    }

    public Map<String, Bucket> buckets() {
        return buckets;
    }
}
