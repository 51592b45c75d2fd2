package io.cutover.engine;

import io.cutover.CutoverException;
import java.util.Optional;

/**
 * Reads the secrets a plan names with {@code ${secret:ID}} or {@code ${secret:ID#key}}, at the moment a step
 * needs one. What it returns is passed to the cloud and never stored in the cutover's state nor printed.
 */
@FunctionalInterface
public interface SecretStore {
    /** The secret's value, or of its {@code key} when the secret is a JSON object. */
    String read(String id, Optional<String> key);

    /** No store: a plan that names a secret fails at that step with what to configure. */
    static SecretStore none() {
        return (id, key) -> {
            throw new CutoverException("the plan reads secret '" + id + "' but the engine has no secret store; "
                    + "give Engine.builder().secrets(...) one (on AWS: AwsSecrets)");
        };
    }
}
