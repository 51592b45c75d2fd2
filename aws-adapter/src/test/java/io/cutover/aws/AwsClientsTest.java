package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Clients built by AwsClients make one request per call: retries are the engine's alone. */
class AwsClientsTest {
    final AtomicInteger requests = new AtomicInteger();
    HttpServer failing;
    URI endpoint;

    @BeforeEach
    void start() throws IOException {
        failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        failing.start();
        endpoint = URI.create("http://127.0.0.1:" + failing.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        failing.stop(0);
    }

    AwsClients clients(AwsClients.Builder builder) {
        return builder.endpointOverride(endpoint)
                .region("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
    }

    @Test
    void aFailingCallReachesAwsOnceTheEngineDecidesWhenToRepeatIt() {
        try (AwsClients clients = clients(AwsClients.builder())) {
            AwsCloud cloud = AwsCloud.of(clients);

            ProviderException e =
                    assertThrows(ProviderException.class, () -> cloud.stacks().describe("blue"));

            assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void everyServiceOfTheBuiltClientsMakesOneAttempt() {
        try (AwsClients clients = clients(AwsClients.builder())) {
            AwsCloud cloud = AwsCloud.of(clients);

            assertThrows(ProviderException.class, () -> cloud.dns().describeZone("Z1"));
            assertThrows(ProviderException.class, () -> cloud.volumes().describe("vol-1"));
            assertThrows(
                    ProviderException.class,
                    () -> cloud.databases().describe(io.cutover.plan.Environment.Database.Kind.INSTANCE, "blue"));

            assertThat(requests).hasValue(3);
        }
    }
}
