package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A plan that names no secret builds no Secrets Manager client; one that does builds it once. */
class AwsSecretsLazyTest {
    @Test
    void theClientIsBuiltAtTheFirstReadAndOnlyOnce() {
        AtomicInteger built = new AtomicInteger();
        AwsSecrets secrets = AwsSecrets.lazily(() -> {
            built.incrementAndGet();
            // as the SDK does without a region: the client cannot be built
            throw new CutoverException("no region");
        });
        assertThat(built).as("nothing read yet, nothing built").hasValue(0);

        assertThatThrownBy(() -> secrets.read("arn:aws:secretsmanager:eu-west-1:1:secret:db", Optional.empty()))
                .hasMessageContaining("no region");
        assertThat(built).hasValue(1);
    }
}
