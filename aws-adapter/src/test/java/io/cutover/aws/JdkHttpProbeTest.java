package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpProbeTest {
    final CountDownLatch release = new CountDownLatch(1);
    HttpServer server;
    final java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthy", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/down", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.createContext("/login", ex -> {
            ex.getResponseHeaders().add("Location", "/healthy");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/hangs", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.createContext("/api/maintenance", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = ("{\"maintenance\": true}" + "x".repeat(10_000)).getBytes();
            ex.sendResponseHeaders(202, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void reportsTheStatusCodeOfAnAnswer() {
        JdkHttpProbe probe = JdkHttpProbe.ofDefaults();

        assertThat(probe.get(base.resolve("/healthy"), Duration.ofSeconds(5))).isEqualTo(200);
        assertThat(probe.get(base.resolve("/down"), Duration.ofSeconds(5))).isEqualTo(503);
    }

    @Test
    void doesNotFollowARedirect() {
        assertThat(JdkHttpProbe.ofDefaults().get(base.resolve("/login"), Duration.ofSeconds(5)))
                .isEqualTo(302);
    }

    @Test
    void noAnswerWithinTheTimeoutIsTransient() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> JdkHttpProbe.ofDefaults().get(base.resolve("/hangs"), Duration.ofMillis(200)));

        assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(e.getMessage()).contains("/hangs did not answer within PT0.2S");
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ProviderException e = assertThrows(
                ProviderException.class,
                () -> JdkHttpProbe.ofDefaults()
                        .get(URI.create("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(2)));

        assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT);
    }

    @Test
    void aCallSendsItsMethodHeadersAndBodyAndReadsTheStartOfTheAnswer() {
        var answer = JdkHttpProbe.ofDefaults()
                .send(new io.cutover.spi.HttpProbe.Request(
                        "PUT",
                        base.resolve("/api/maintenance"),
                        java.util.Map.of("Authorization", "Bearer t0ken-s3cret"),
                        java.util.Optional.of("{\"enabled\": true}"),
                        Duration.ofSeconds(5)));

        assertThat(seen).containsExactly("PUT Bearer t0ken-s3cret {\"enabled\": true}");
        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).startsWith("{\"maintenance\": true}").hasSize(4096);
    }

    @Test
    void aHeaderThatCannotBeSentIsRefusedWithoutItsValue() {
        ProviderException e = assertThrows(
                ProviderException.class,
                () -> JdkHttpProbe.ofDefaults()
                        .send(new io.cutover.spi.HttpProbe.Request(
                                "POST",
                                base.resolve("/api/maintenance"),
                                java.util.Map.of("Host", "s3cret-host-value"),
                                java.util.Optional.empty(),
                                Duration.ofSeconds(5))));

        assertThat(e.kind()).isEqualTo(FailureKind.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("header 'Host' cannot be sent").doesNotContain("s3cret-host-value");
        assertThat(seen).isEmpty();
    }
}
