package io.cutover.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.CutoverException;
import io.cutover.engine.SecretStore;
import io.cutover.spi.ProviderException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets from AWS Secrets Manager for {@code ${secret:ARN}} and {@code ${secret:ARN#key}} (a key of a JSON
 * secret, as RDS-managed credentials are). Values are read when a step needs them and kept nowhere.
 */
public final class AwsSecrets implements SecretStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final java.util.function.Supplier<SecretsManagerClient> client;

    private AwsSecrets(java.util.function.Supplier<SecretsManagerClient> client) {
        this.client = client;
    }

    public static AwsSecrets of(SecretsManagerClient client) {
        return new AwsSecrets(() -> client);
    }

    /**
     * Secrets read through a client built at the first read, once: a plan that names no secret never builds
     * one (so a machine without Secrets Manager access, or a region it does not reach, is not refused for it).
     */
    public static AwsSecrets lazily(java.util.function.Supplier<SecretsManagerClient> client) {
        return new AwsSecrets(com.google.common.base.Suppliers.memoize(client::get));
    }

    @Override
    public String read(String id, Optional<String> key) {
        String value;
        try {
            value = client.get().getSecretValue(r -> r.secretId(id)).secretString();
        } catch (SdkException e) {
            ProviderException p = AwsFailures.classify("GetSecretValue", e);
            throw new CutoverException(
                    "cannot read secret " + id + ": " + p.getMessage()
                            + p.missingAction().map(a -> " (grant " + a + ")").orElse(""),
                    p);
        }
        if (key.isEmpty()) {
            return value;
        }
        try {
            JsonNode node = JSON.readTree(value).get(key.get());
            if (node == null || !node.isValueNode()) {
                throw new CutoverException("secret " + id + " has no key '" + key.get() + "'");
            }
            return node.asText();
        } catch (java.io.IOException e) {
            throw new CutoverException("secret " + id + " is not JSON, so it has no key '" + key.get() + "'", e);
        }
    }
}
