package io.cutover.aws.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an AWS emulator and injects its {@link EmulatorEndpoint} into test constructors,
 * lifecycle methods and test methods. The emulator is chosen, in order:
 *
 * <ol>
 *   <li>the endpoint in {@code AWS_ENDPOINT_URL} (or the {@code aws.endpointUrl} system property): moto,
 *       LocalStack or anything else that speaks the AWS APIs;
 *   <li>else, when {@code LOCALSTACK_AUTH_TOKEN} is set and a Docker engine answers, LocalStack (Pro, since
 *       RDS needs it) started once per test run through Testcontainers;
 *   <li>else moto, started once per test run on a free port of 127.0.0.1 and stopped when the run ends:
 *       {@code moto[server]} (the version the build pins, or {@code MOTO_VERSION}) installed on first use into
 *       a venv under {@code ~/.cache/cutover} ({@code MOTO_VENV} elsewhere) with the {@code python3} on the
 *       {@code PATH} ({@code PYTHON} names another); {@code CUTOVER_START_MOTO=false} turns this off;
 *   <li>else (no Python) the class is skipped, with the reason as the skip message (what to install, or
 *       which variable to set) and a warning in the log; with {@code CUTOVER_REQUIRE_AWS_EMULATOR=true} it
 *       fails instead, so a CI run cannot pass by skipping.
 * </ol>
 *
 * <pre>{@code
 * @AwsEmulator
 * class StacksIT {
 *   @Test void createsAStack(EmulatorEndpoint aws) {
 *     try (CloudFormationClient cfn = aws.configure(CloudFormationClient.builder()).build()) { ... }
 *     Engine engine = Engine.builder().pollPolicy(aws.pollPolicy())...build();   // moto completes at once
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AwsEmulatorExtension.class)
public @interface AwsEmulator {
    /**
     * Whether to wipe the emulator's state before the class runs, so that classes cannot see each other's
     * resources. Only moto and LocalStack can be reset; other endpoints are left as they are, with a warning.
     */
    boolean resetBeforeAll() default true;

    /** The LocalStack image to start when no endpoint is configured; {@code CUTOVER_LOCALSTACK_IMAGE} overrides it. */
    String localStackImage() default AwsEmulatorExtension.DEFAULT_IMAGE;
}
