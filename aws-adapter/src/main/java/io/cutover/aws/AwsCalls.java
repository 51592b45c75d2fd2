package io.cutover.aws;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one SDK call the way every adapter call must run: paced by the shared budget, classified by
 * {@link AwsFailures}, retried by the policy when the failure is retryable. Thread-safe; one per
 * {@link AwsCloud}.
 */
final class AwsCalls {
    private static final Logger log = LoggerFactory.getLogger(AwsCalls.class);

    private final AwsRateBudget budget;
    private final Retry retry;

    AwsCalls(AwsRateBudget budget, AwsRetryPolicy policy) {
        this.budget = budget;
        this.retry = Retry.of(
                "cutover-aws",
                RetryConfig.<Object>custom()
                        .maxAttempts(policy.maxAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                                policy.initialBackoff(), policy.multiplier(), policy.jitter()))
                        .retryOnException(e -> e instanceof ProviderException && ((ProviderException) e).retryable())
                        .failAfterMaxAttempts(false)
                        .build());
        retry.getEventPublisher()
                .onRetry(e -> log.debug(
                        "retrying {} after {} (attempt {}): {}",
                        e.getName(),
                        e.getWaitInterval(),
                        e.getNumberOfRetryAttempts(),
                        e.getLastThrowable().getMessage()));
    }

    /** The retry, for its metrics and events. */
    Retry retry() {
        return retry;
    }

    /**
     * Calls {@code body}; {@code subject} names what the call is about ("stack 'blue'") so that a NOT_FOUND
     * message says which thing is missing even where the service's message does not.
     */
    <T> T call(AwsApi api, String operation, String subject, Supplier<T> body) {
        Supplier<T> attempt = () -> {
            acquire(api, operation);
            try {
                return body.get();
            } catch (SdkException e) {
                throw AwsFailures.naming(
                        AwsFailures.classify(api.iamPrefix(), operation, e), Optional.ofNullable(subject));
            }
        };
        return Retry.decorateSupplier(retry, attempt).get();
    }

    void run(AwsApi api, String operation, String subject, Runnable body) {
        call(api, operation, subject, () -> {
            body.run();
            return null;
        });
    }

    private void acquire(AwsApi api, String operation) {
        RateLimiter limiter = budget.limiter(api);
        if (!limiter.acquirePermission()) {
            throw ProviderException.of(
                    FailureKind.THROTTLING,
                    operation,
                    "the client-side rate budget for " + api
                            + " (" + budget.permitsPerSecond(api) + "/s) had no permit within " + budget.maxWait()
                            + "; too many parallel calls share this AwsRateBudget");
        }
    }
}
