package io.cutover.aws;

import io.cutover.spi.ApiService;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one SDK call the way every adapter call must run: once, its failure classified by {@link AwsFailures}
 * (the IAM prefix from its {@link ApiService}). Pacing and retries are the engine's ({@code RateBudget},
 * {@code RetryPolicy}): the engine reserves a step's calls in the account's budget before the step makes
 * them and repeats a throttled or transient one on its own clock, so nothing here waits or sleeps.
 */
final class AwsCalls {
    /**
     * Calls {@code body}; {@code subject} names what the call is about ("stack 'blue'") so that a NOT_FOUND
     * message says which thing is missing even where the service's message does not.
     */
    <T> T call(ApiService api, String operation, String subject, Supplier<T> body) {
        try {
            return body.get();
        } catch (SdkException e) {
            throw AwsFailures.naming(AwsFailures.classify(api.iamPrefix(), operation, e), Optional.ofNullable(subject));
        }
    }

    void run(ApiService api, String operation, String subject, Runnable body) {
        call(api, operation, subject, () -> {
            body.run();
            return null;
        });
    }
}
