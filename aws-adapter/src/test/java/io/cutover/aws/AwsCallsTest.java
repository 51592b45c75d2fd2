package io.cutover.aws;

import static io.cutover.aws.AwsFailuresTest.serviceError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cutover.spi.ApiService;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The adapter makes each call once and classifies its failure; repeating it is the engine's job. */
class AwsCallsTest {
    private final AwsCalls calls = new AwsCalls();

    @Test
    void aThrottledCallIsMadeOnceAndThrownAsThrottlingForTheEngineToRepeat() {
        AtomicInteger attempts = new AtomicInteger();

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(ApiService.RDS, "DescribeDBInstances", "DB instance 'blue'", () -> {
                    attempts.incrementAndGet();
                    throw serviceError("Rds", "Throttling", "Rate exceeded", 400);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.THROTTLING);
        assertThat(e.retryable()).isTrue();
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aTransientFailureIsMadeOnceAndThrownClassified() {
        AtomicInteger attempts = new AtomicInteger();

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(ApiService.EC2_MUTATE, "CreateSnapshot", null, () -> {
                    attempts.incrementAndGet();
                    throw serviceError("Ec2", "InternalError", "try later", 500);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aMissingThingIsNamedByTheCallsSubject() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(ApiService.RDS, "DescribeDBInstances", "DB instance 'blue'", () -> {
                    throw serviceError("Rds", "DBInstanceNotFound", "not found", 404);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("DB instance 'blue'");
    }

    @Test
    void anAccessDeniedNamesTheActionWithTheServicesIamPrefix() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> calls.call(ApiService.EC2_DESCRIBE, "DescribeVolumes", null, () -> {
                    throw serviceError("Ec2", "UnauthorizedOperation", "You are not authorized", 403);
                }));

        assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
        assertThat(e.missingAction()).hasValue("ec2:DescribeVolumes");
    }

    @Test
    void aSuccessfulCallReturnsItsResult() {
        assertThat(calls.call(ApiService.CLOUDFORMATION, "DescribeStacks", null, () -> "ok"))
                .isEqualTo("ok");
    }
}
