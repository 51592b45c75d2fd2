package io.cutover.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import io.cutover.spi.FailureKind;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.ProviderException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * {@link HttpProbe} over the JDK's {@link HttpClient}: one GET, the body discarded, redirects not followed
 * (a health check that redirects to a login page is not healthy); for http-call steps, one request of any
 * method, of which the first 4 KiB of the answer's body are read. A request's headers and body never appear in
 * a message. No answer within the timeout, a refused
 * connection or a broken one are {@link FailureKind#TRANSIENT}: the target may be starting.
 */
public final class JdkHttpProbe implements HttpProbe {
    private final HttpClient client;

    private JdkHttpProbe(HttpClient client) {
        this.client = client;
    }

    /** A probe with its own client (HTTP/1.1, 5 s connect timeout, no redirects). */
    public static JdkHttpProbe ofDefaults() {
        return new JdkHttpProbe(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** A probe over your client, e.g. one with a proxy or a trust store for an internal CA. */
    public static JdkHttpProbe of(HttpClient client) {
        return new JdkHttpProbe(checkNotNull(client, "client"));
    }

    @Override
    public int get(URI uri, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(timeout)
                .header("User-Agent", "cutover-health-check")
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            throw new ProviderException(
                    FailureKind.TRANSIENT, "GET", uri + " did not answer within " + timeout, e, null);
        } catch (IOException e) {
            throw new ProviderException(FailureKind.TRANSIENT, "GET", uri + " failed: " + e, e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(FailureKind.TRANSIENT, "GET", uri + " interrupted", e, null);
        }
    }

    @Override
    public Response send(Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri())
                .timeout(r.timeout())
                .method(
                        r.method(),
                        r.body().map(HttpRequest.BodyPublishers::ofString).orElse(HttpRequest.BodyPublishers.noBody()));
        if (r.headers().keySet().stream().noneMatch(h -> h.equalsIgnoreCase("User-Agent"))) {
            b.header("User-Agent", "cutover");
        }
        for (var h : r.headers().entrySet()) {
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // the value is not named: it may be a secret
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        r.method(),
                        "header '" + h.getKey() + "' cannot be sent: it is"
                                + " restricted (Host, Connection, Content-Length) or its name or value is not valid");
            }
        }
        String call = r.method() + " " + r.uri();
        try {
            HttpResponse<java.io.InputStream> answer =
                    client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (java.io.InputStream in = answer.body()) {
                byte[] start = in.readNBytes(Response.BODY_LIMIT);
                return new Response(answer.statusCode(), new String(start, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (HttpTimeoutException e) {
            throw new ProviderException(
                    FailureKind.TRANSIENT, r.method(), call + " did not answer within " + r.timeout(), e, null);
        } catch (IOException e) {
            throw new ProviderException(FailureKind.TRANSIENT, r.method(), call + " failed: " + e, e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(FailureKind.TRANSIENT, r.method(), call + " interrupted", e, null);
        }
    }
}
