package io.cutover.aws.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The only class that touches Testcontainers, so that runs against a configured endpoint never load it (nor
 * probe for Docker).
 */
final class LocalStackLauncher {
    private LocalStackLauncher() {}

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A started LocalStack; closing it stops the container. */
    static final class Running implements AutoCloseable {
        private final LocalStackContainer container;
        final EmulatorEndpoint endpoint;

        Running(EmulatorChoice.StartLocalStack choice) {
            DockerImageName image =
                    DockerImageName.parse(choice.image()).asCompatibleSubstituteFor("localstack/localstack");
            container = new LocalStackContainer(image)
                    .withEnv("LOCALSTACK_AUTH_TOKEN", choice.authToken())
                    .withEnv("AWS_DEFAULT_REGION", choice.region())
                    .withServices("cloudformation", "rds", "ec2", "route53", "kms", "s3");
            container.start();
            endpoint = new EmulatorEndpoint(
                    container.getEndpoint(),
                    container.getRegion(),
                    container.getAccessKey(),
                    container.getSecretKey(),
                    EmulatorEndpoint.Flavor.LOCALSTACK);
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
