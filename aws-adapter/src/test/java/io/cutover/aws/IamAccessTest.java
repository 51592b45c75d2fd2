package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import org.junit.jupiter.api.Test;

/** Whose policies the account check simulates, from the caller's ARN (GetCallerIdentity). */
class IamAccessTest {
    private final IamAccess access = new IamAccess(
            () -> {
                throw new AssertionError("no IAM call expected");
            },
            () -> {
                throw new AssertionError("no STS call expected");
            });

    @Test
    void aUserIsItsOwnPrincipal() {
        assertThat(access.principal("arn:aws:iam::123456789012:user/ops/alice"))
                .isEqualTo("arn:aws:iam::123456789012:user/ops/alice");
    }

    @Test
    void theRootUserAndFederatedUsersCannotBeSimulated() {
        assertThatThrownBy(() -> access.principal("arn:aws:iam::123456789012:root"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST))
                .hasMessageContaining("the account's root user");
        assertThatThrownBy(() -> access.principal("arn:aws:sts::123456789012:federated-user/bob"))
                .hasMessageContaining("no IAM user or role");
    }
}
