package io.cutover.aws.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension behind {@link AwsEmulator}; see there for how the emulator is chosen. The choice (and a
 * moto server or LocalStack container, if one is started) is made once per test run and kept in the root
 * context's store, which stops it when the run ends.
 */
public final class AwsEmulatorExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
    private static final Logger log = LoggerFactory.getLogger(AwsEmulatorExtension.class);
    static final String DEFAULT_IMAGE = "localstack/localstack-pro:4.0";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(AwsEmulatorExtension.class);

    /**
     * Disables every test of the class, with the reason, when there is no emulator: test reports then count them
     * as skipped, where an aborted {@code @BeforeAll} would leave them out of the count.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestClass().isEmpty()) {
            return ConditionEvaluationResult.enabled("not a test class");
        }
        Resolved resolved = resolved(context);
        if (resolved.skipReason.isEmpty()) {
            return ConditionEvaluationResult.enabled(
                    "AWS emulator " + resolved.endpoint.flavor() + " at " + resolved.endpoint.endpoint());
        }
        String reason = resolved.skipReason.get();
        if ("true".equalsIgnoreCase(System.getenv("CUTOVER_REQUIRE_AWS_EMULATOR"))) {
            // enabled, so that beforeAll fails the class loudly
            return ConditionEvaluationResult.enabled("CUTOVER_REQUIRE_AWS_EMULATOR is set");
        }
        if (context.getTestMethod().isEmpty()) {
            log.warn("skipping {}: {}", context.getRequiredTestClass().getSimpleName(), reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        AwsEmulator settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), AwsEmulator.class)
                .orElse(null);
        Resolved resolved = resolved(context);
        if (resolved.skipReason.isPresent()) {
            String reason = resolved.skipReason.get();
            if ("true".equalsIgnoreCase(System.getenv("CUTOVER_REQUIRE_AWS_EMULATOR"))) {
                throw new ExtensionConfigurationException("CUTOVER_REQUIRE_AWS_EMULATOR is set, but " + reason);
            }
            Assumptions.abort(reason);
        }
        if (settings == null || settings.resetBeforeAll()) {
            resolved.endpoint.reset();
        }
    }

    private static Resolved resolved(ExtensionContext context) {
        String image = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, AwsEmulator.class))
                .map(AwsEmulator::localStackImage)
                .orElse(DEFAULT_IMAGE);
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Resolved.class.getName(), k -> resolve(image), Resolved.class);
    }

    private static Resolved resolve(String image) {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        EmulatorChoice choice = EmulatorChoice.resolve(
                System.getenv(),
                properties,
                image,
                LocalStackLauncher::dockerAvailable,
                MotoLauncher.findPython(System.getenv()));
        if (choice instanceof EmulatorChoice.Skip) {
            return new Resolved(null, Optional.of(((EmulatorChoice.Skip) choice).reason()), null);
        }
        if (choice instanceof EmulatorChoice.UseEndpoint) {
            EmulatorChoice.UseEndpoint use = (EmulatorChoice.UseEndpoint) choice;
            EmulatorEndpoint endpoint = new EmulatorEndpoint(
                    use.endpoint(),
                    use.region(),
                    use.accessKeyId(),
                    use.secretAccessKey(),
                    use.flavor().orElseGet(() -> EmulatorHttp.detect(use.endpoint())));
            log.info("AWS emulator: {} at {}", endpoint.flavor(), endpoint.endpoint());
            return new Resolved(endpoint, Optional.empty(), null);
        }
        if (choice instanceof EmulatorChoice.StartMoto) {
            MotoLauncher.Running moto = new MotoLauncher.Running((EmulatorChoice.StartMoto) choice);
            return new Resolved(moto.endpoint, Optional.empty(), moto);
        }
        EmulatorChoice.StartLocalStack start = (EmulatorChoice.StartLocalStack) choice;
        log.info("AWS emulator: starting {} in Docker", start.image());
        LocalStackLauncher.Running running = new LocalStackLauncher.Running(start);
        return new Resolved(running.endpoint, Optional.empty(), running);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmulatorEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Resolved resolved =
                extensionContext.getRoot().getStore(NAMESPACE).get(Resolved.class.getName(), Resolved.class);
        if (resolved == null || resolved.endpoint == null) {
            throw new ExtensionConfigurationException(
                    "no AWS emulator was resolved; annotate the class with @AwsEmulator");
        }
        return resolved.endpoint;
    }

    /** The run's emulator; AutoCloseable so the root store stops a LocalStack container at the end of the run. */
    private static final class Resolved implements AutoCloseable {
        final EmulatorEndpoint endpoint;
        final Optional<String> skipReason;
        final AutoCloseable container;

        Resolved(EmulatorEndpoint endpoint, Optional<String> skipReason, AutoCloseable container) {
            this.endpoint = endpoint;
            this.skipReason = skipReason;
            this.container = container;
        }

        @Override
        public void close() throws Exception {
            if (container != null) {
                container.close();
            }
        }
    }
}
