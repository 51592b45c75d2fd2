package io.cutover.aws;

import static io.cutover.aws.AwsFailuresTest.serviceError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwsCallsTest {
    static final AwsRetryPolicy QUICK = new AwsRetryPolicy(3, Duration.ofMillis(1), 1.0, 0.0);

    @Test
    void aThrottledCallIsRetriedUntilItSucceeds() {
        AwsCalls calls = new AwsCalls(AwsRateBudget.ofDefaults(), QUICK);
        AtomicInteger attempts = new AtomicInteger();

        String result = calls.call(AwsApi.RDS, "DescribeDBInstances", "DB instance 'blue'", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw serviceError("Rds", "Throttling", "Rate exceeded", 400);
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aRetryableFailureIsThrownClassifiedAfterTheLastAttempt() {
        AwsCalls calls = new AwsCalls(AwsRateBudget.ofDefaults(), QUICK);
        AtomicInteger attempts = new AtomicInteger();

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(AwsApi.EC2_MUTATING, "CreateSnapshot", null, () -> {
                    attempts.incrementAndGet();
                    throw serviceError("Ec2", "InternalError", "try later", 500);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aFailureRepeatingWillNotFixIsThrownAtOnce() {
        AwsCalls calls = new AwsCalls(AwsRateBudget.ofDefaults(), QUICK);
        AtomicInteger attempts = new AtomicInteger();

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(AwsApi.RDS, "DescribeDBInstances", "DB instance 'blue'", () -> {
                    attempts.incrementAndGet();
                    throw serviceError("Rds", "DBInstanceNotFound", "DBInstance blue not found.", 404);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("DB instance 'blue' does not exist");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void twoAdaptersSharingABudgetShareItsPermits() {
        // 3 permits a second and no waiting: after adapter A spent them, adapter B is refused within the same second.
        // Repeated a few times so that a period boundary falling between the calls cannot make the test flaky.
        AwsRateBudget budget =
                AwsRateBudget.custom().route53(3).maxWait(Duration.ZERO).build();
        AwsCalls a = new AwsCalls(budget, AwsRetryPolicy.none());
        AwsCalls b = new AwsCalls(budget, AwsRetryPolicy.none());
        int refusedForB = 0;
        for (int round = 0; round < 3 && refusedForB == 0; round++) {
            for (int i = 0; i < 3; i++) {
                try {
                    a.call(AwsApi.ROUTE53, "GetChange", null, () -> "ok");
                } catch (ProviderException e) {
                    // a leftover of the previous round's period; B's call below is what the test is about
                }
            }
            try {
                b.call(AwsApi.ROUTE53, "GetChange", null, () -> "ok");
            } catch (ProviderException e) {
                assertThat(e.kind()).isEqualTo(FailureKind.THROTTLING);
                assertThat(e.getMessage()).contains("rate budget for ROUTE53 (3/s)");
                refusedForB++;
            }
        }

        assertThat(refusedForB).isEqualTo(1);
    }

    @Test
    void budgetsOfOtherApisAreNotSpentByRoute53Calls() {
        AwsRateBudget budget =
                AwsRateBudget.custom().route53(1).rds(1).maxWait(Duration.ZERO).build();
        AwsCalls calls = new AwsCalls(budget, AwsRetryPolicy.none());
        calls.call(AwsApi.ROUTE53, "GetChange", null, () -> "ok");

        assertThat(budget.limiter(AwsApi.RDS).getMetrics().getAvailablePermissions())
                .isEqualTo(1);
    }

    @Test
    void aBusyBudgetMakesTheCallWaitForThePermitRatherThanFail() {
        AwsRateBudget budget = AwsRateBudget.custom()
                .cloudFormation(1)
                .maxWait(Duration.ofSeconds(3))
                .build();
        AwsCalls calls = new AwsCalls(budget, AwsRetryPolicy.none());
        calls.call(AwsApi.CLOUDFORMATION, "DescribeStacks", null, () -> "first");

        assertThat(calls.call(AwsApi.CLOUDFORMATION, "DescribeStacks", null, () -> "second"))
                .isEqualTo("second");
    }

    @Test
    void defaultsMatchTheDocumentedRates() {
        AwsRateBudget defaults = AwsRateBudget.ofDefaults();

        assertThat(defaults.permitsPerSecond(AwsApi.ROUTE53)).isEqualTo(5);
        assertThat(defaults.permitsPerSecond(AwsApi.RDS)).isEqualTo(12);
        assertThat(defaults.permitsPerSecond(AwsApi.EC2_MUTATING)).isEqualTo(5);
        assertThat(defaults.permitsPerSecond(AwsApi.EC2_DESCRIBE)).isEqualTo(20);
        assertThat(defaults.permitsPerSecond(AwsApi.CLOUDFORMATION)).isEqualTo(4);
    }
}
