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
 * <p>The algorithm is Guava's "smooth bursty" rate limiter, on the engine's clock (so it works in virtual
 * time): a bucket holds up to {@code burst} permits, refilled at {@code perSecond}; a call that finds too
 * few pays for them by waiting, and the next caller waits behind it.
 */
public final class RateBudget {
  /** Service names, as the steps count their calls. */
  public static final String CLOUDFORMATION = "cloudformation";
  public static final String RDS = "rds";
  public static final String EC2_MUTATE = "ec2.mutate";
  public static final String EC2_DESCRIBE = "ec2.describe";
  public static final String ROUTE53 = "route53";

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
    double stored;
    Instant nextFree;

    Bucket(Limit limit) {
      this.limit = limit;
      this.stored = limit.burst();
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
    return of(Map.of(ROUTE53, new Limit(5, 5), RDS, new Limit(300, 12), EC2_MUTATE, new Limit(50, 5),
        EC2_DESCRIBE, new Limit(100, 20), CLOUDFORMATION, new Limit(20, 4)));
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
      if (b.nextFree == null || now.isAfter(b.nextFree)) {
        double refill = b.nextFree == null ? 0 : Duration.between(b.nextFree, now).toNanos() / 1e9 * b.limit.perSecond();
        b.stored = Math.min(b.limit.burst(), b.stored + refill);
        b.nextFree = now;
      }
      Duration w = Duration.between(now, b.nextFree);
      double fromStored = Math.min(c.getValue(), b.stored);
      double fresh = c.getValue() - fromStored;
      b.stored -= fromStored;
      b.nextFree = b.nextFree.plusNanos((long) (fresh / b.limit.perSecond() * 1e9));
      if (w.compareTo(wait) > 0) {
        wait = w;
      }
    }
    return wait;
  }

  /** Whether this budget limits anything. */
  public boolean limits() {
    return !buckets.isEmpty();
  }
}
