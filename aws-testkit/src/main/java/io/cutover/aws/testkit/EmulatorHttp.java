package io.cutover.aws.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The emulators' own management APIs: which one answers, and resetting its state. */
final class EmulatorHttp {
    private static final Logger log = LoggerFactory.getLogger(EmulatorHttp.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private EmulatorHttp() {}

    static EmulatorEndpoint.Flavor detect(URI endpoint) {
        if (answers(endpoint, "/moto-api/data.json")) {
            return EmulatorEndpoint.Flavor.MOTO;
        }
        if (answers(endpoint, "/_localstack/health")) {
            return EmulatorEndpoint.Flavor.LOCALSTACK;
        }
        return EmulatorEndpoint.Flavor.OTHER;
    }

    static void reset(EmulatorEndpoint e) {
        String path;
        switch (e.flavor()) {
            case MOTO:
                path = "/moto-api/reset";
                break;
            case LOCALSTACK:
                path = "/_localstack/state/reset";
                break;
            default:
                log.warn(
                        "{} is neither moto nor LocalStack; its state is not reset between test classes", e.endpoint());
                return;
        }
        int status = send(HttpRequest.newBuilder(e.endpoint().resolve(path))
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (status / 100 != 2) {
            throw new IllegalStateException("resetting " + e.flavor() + " at " + e.endpoint() + path + " answered HTTP "
                    + status + "; is that endpoint really " + e.flavor() + "?");
        }
    }

    private static boolean answers(URI endpoint, String path) {
        try {
            return send(HttpRequest.newBuilder(endpoint.resolve(path))
                            .timeout(TIMEOUT)
                            .GET()
                            .build())
                    == 200;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Whether anything answers HTTP at {@code path} (any status), within a second. */
    static boolean answersAtAll(URI endpoint, String path) {
        try {
            send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(1))
                    .GET()
                    .build());
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static int send(HttpRequest request) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + request.uri(), e);
        }
    }
}
