package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.CutoverException;
import io.cutover.aws.testkit.AwsEmulator;
import io.cutover.aws.testkit.EmulatorEndpoint;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

@AwsEmulator
class AwsSecretsIT {
    @Test
    void aSecretIsReadWholeOrByItsJsonKeyAndAMissingOneNamesIt(EmulatorEndpoint aws) {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.of(aws.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
                .build()) {
            String arn = client.createSecret(
                            r -> r.name("shop/db").secretString("{\"username\":\"app\",\"password\":\"pw-1\"}"))
                    .arn();
            AwsSecrets secrets = AwsSecrets.of(client);
            assertThat(secrets.read(arn, Optional.of("password"))).isEqualTo("pw-1");
            assertThat(secrets.read("shop/db", Optional.empty())).contains("\"username\"");
            assertThatThrownBy(() -> secrets.read(arn, Optional.of("token")))
                    .isInstanceOf(CutoverException.class)
                    .hasMessageContaining("has no key 'token'");
            assertThatThrownBy(() -> secrets.read("shop/nope", Optional.empty()))
                    .isInstanceOf(CutoverException.class)
                    .hasMessageContaining("cannot read secret shop/nope");
        }
    }
}
