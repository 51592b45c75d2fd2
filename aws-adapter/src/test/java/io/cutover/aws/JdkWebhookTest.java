package io.cutover.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A webhook that does not answer holds the caller no longer than the notification's timeout. */
class JdkWebhookTest {
    final CountDownLatch release = new CountDownLatch(1);
    HttpServer silent;

    @BeforeEach
    void start() throws Exception {
        silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.createContext("/", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        silent.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        silent.stop(0);
    }

    @Test
    void aWebhookThatDoesNotAnswerIsATransientFailureWithinTheTimeoutAndWithoutItsPath() {
        URI url = URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/services/T000/s3cr3t");
        long started = System.nanoTime();

        assertThatThrownBy(() -> JdkWebhook.ofDefaults().post(url, "{\"text\":\"x\"}", Duration.ofMillis(300)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.TRANSIENT))
                .hasMessageContaining("did not answer within PT0.3S")
                .hasMessageNotContaining("s3cr3t");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
