package io.cutover.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Client-side pacing of AWS calls, one token bucket per {@link AwsApi}. AWS throttles per account and region,
 * not per client, so create ONE budget per account/region and pass it to every {@link AwsCloud} that works
 * there: parallel cutovers in one process then share the account's allowance instead of each assuming it
 * has all of it.
 *
 * <p>A call waits up to {@link #maxWait()} for a permit; when the budget is exhausted for longer, the call
 * fails with {@link io.cutover.spi.FailureKind#THROTTLING} and is retried like a throttled call, so a busy
 * budget slows the engine down rather than parking threads indefinitely.
 *
 * <p>Defaults, in requests per second: Route 53 5 (the documented per-account limit), RDS 12, EC2 mutating
 * 5 and describe 20 (below the documented token-bucket refill rates, leaving room for other tools in the
 * account), CloudFormation 4 (AWS does not publish its limits; this is a guess that has held for
 * describe-heavy polling; lower it if you see throttling).
 */
public final class AwsRateBudget {
    private final ImmutableMap<AwsApi, RateLimiter> limiters;
    private final ImmutableMap<AwsApi, Integer> permitsPerSecond;
    private final Duration maxWait;

    private AwsRateBudget(Map<AwsApi, Integer> permitsPerSecond, Duration maxWait) {
        this.permitsPerSecond = ImmutableMap.copyOf(permitsPerSecond);
        this.maxWait = maxWait;
        ImmutableMap.Builder<AwsApi, RateLimiter> b = ImmutableMap.builder();
        permitsPerSecond.forEach((api, rate) -> b.put(
                api,
                RateLimiter.of(
                        "cutover-aws-" + api.name().toLowerCase(Locale.ROOT),
                        RateLimiterConfig.custom()
                                .limitForPeriod(rate)
                                .limitRefreshPeriod(Duration.ofSeconds(1))
                                .timeoutDuration(maxWait)
                                .build())));
        this.limiters = b.build();
    }

    /** The default rates (see the class comment), waiting up to 5 s for a permit. */
    public static AwsRateBudget ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** Requests per second allowed for the API. */
    public int permitsPerSecond(AwsApi api) {
        return permitsPerSecond.get(api);
    }

    public Duration maxWait() {
        return maxWait;
    }

    /** The limiter of one API, for metrics ({@code getMetrics().getAvailablePermissions()}) and events. */
    public RateLimiter limiter(AwsApi api) {
        return limiters.get(api);
    }

    @Override
    public String toString() {
        return "AwsRateBudget" + permitsPerSecond + " maxWait=" + maxWait;
    }

    /** Builds an {@link AwsRateBudget}; every rate is in requests per second. */
    public static final class Builder {
        private final EnumMap<AwsApi, Integer> rates = new EnumMap<>(AwsApi.class);
        private Duration maxWait = Duration.ofSeconds(5);

        private Builder() {
            rates.put(AwsApi.CLOUDFORMATION, 4);
            rates.put(AwsApi.RDS, 12);
            rates.put(AwsApi.EC2_MUTATING, 5);
            rates.put(AwsApi.EC2_DESCRIBE, 20);
            rates.put(AwsApi.ROUTE53, 5);
        }

        public Builder rate(AwsApi api, int permitsPerSecond) {
            checkNotNull(api, "api");
            checkArgument(
                    permitsPerSecond >= 1, "%s: permitsPerSecond must be at least 1, was %s", api, permitsPerSecond);
            rates.put(api, permitsPerSecond);
            return this;
        }

        public Builder cloudFormation(int permitsPerSecond) {
            return rate(AwsApi.CLOUDFORMATION, permitsPerSecond);
        }

        public Builder rds(int permitsPerSecond) {
            return rate(AwsApi.RDS, permitsPerSecond);
        }

        public Builder ec2Mutating(int permitsPerSecond) {
            return rate(AwsApi.EC2_MUTATING, permitsPerSecond);
        }

        public Builder ec2Describe(int permitsPerSecond) {
            return rate(AwsApi.EC2_DESCRIBE, permitsPerSecond);
        }

        public Builder route53(int permitsPerSecond) {
            return rate(AwsApi.ROUTE53, permitsPerSecond);
        }

        /** How long a call may wait for a permit before it fails as throttled; zero never waits. */
        public Builder maxWait(Duration maxWait) {
            checkArgument(!maxWait.isNegative(), "maxWait must not be negative, was %s", maxWait);
            this.maxWait = maxWait;
            return this;
        }

        public AwsRateBudget build() {
            return new AwsRateBudget(rates, maxWait);
        }
    }
}
