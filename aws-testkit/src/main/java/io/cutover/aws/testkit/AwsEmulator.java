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
 *   <li>else the class is skipped, with the reason as the skip message and a warning in the log; with
 *       {@code CUTOVER_REQUIRE_AWS_EMULATOR=true} it fails instead, so a CI run cannot pass by skipping.
 * </ol>
 *
 * <pre>{@code
 * @AwsEmulator
 * class StacksIT {
 *   @Test void createsAStack(EmulatorEndpoint aws) { ... aws.endpoint() ... }
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
