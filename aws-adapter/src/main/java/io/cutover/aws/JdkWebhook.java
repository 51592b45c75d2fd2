package io.cutover.aws;

import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts a notification's JSON to a webhook (Slack's incoming webhooks, Teams', or any that takes
 * {@code {"text": "..."}}) over the JDK's {@link HttpClient}. The URL never appears in a failure's message: a
 * webhook's URL is its credential.
 */
final class JdkWebhook {
    private final HttpClient client;

    JdkWebhook(HttpClient client) {
        this.client = client;
    }

    static JdkWebhook ofDefaults() {
        return new JdkWebhook(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    void post(URI url, String json, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "cutover-notification")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        String host = url.getHost();
        java.util.concurrent.CompletableFuture<HttpResponse<Void>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The whole exchange, connect included, ends within the timeout: a notification never holds the
            // engine longer.
            int status = sent.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .statusCode();
            if (status / 100 != 2) {
                throw ProviderException.of(
                        status == 429 || status >= 500 ? FailureKind.TRANSIENT : FailureKind.PERMANENT,
                        "POST webhook",
                        "the webhook at " + host + " answered HTTP " + status);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            sent.cancel(true);
            throw ProviderException.of(
                    FailureKind.TRANSIENT,
                    "POST webhook",
                    "the webhook at " + host + " did not answer within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String what = cause instanceof HttpTimeoutException
                    ? "did not answer within " + timeout
                    : "failed: " + cause.getClass().getSimpleName();
            throw ProviderException.of(FailureKind.TRANSIENT, "POST webhook", "the webhook at " + host + " " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.of(FailureKind.TRANSIENT, "POST webhook", "interrupted");
        }
    }
}
