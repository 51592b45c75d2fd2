package io.cutover.spi;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSortedMap;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Sends HTTP requests: one GET for a health check, and the calls of http-call steps to vendors' admin APIs. */
public interface HttpProbe {
    /**
     * Returns the HTTP status of a GET on {@code uri}, or throws {@link ProviderException} with
     * {@link FailureKind#TRANSIENT} when nothing answered within {@code timeout}.
     */
    int get(URI uri, Duration timeout);

    /**
     * Sends one request and returns its answer, or throws {@link ProviderException} with {@link FailureKind#TRANSIENT}
     * when nothing answered within its timeout. Redirects are not followed.
     */
    default Response send(Request request) {
        throw new UnsupportedOperationException(
                getClass().getName() + " sends no requests but GETs; implement HttpProbe.send for http-call steps");
    }

    /**
     * A request. Its headers and body may hold secrets: an implementation never logs them nor puts them in an
     * exception's message.
     */
    record Request(String method, URI uri, Map<String, String> headers, Optional<String> body, Duration timeout) {
        public Request {
            Preconditions.checkArgument(method != null && method.matches("[A-Z]+"), "method '%s'", method);
            Preconditions.checkNotNull(uri, "uri");
            headers = headers == null ? Map.of() : ImmutableSortedMap.copyOf(headers);
            body = body == null ? Optional.empty() : body;
            Preconditions.checkNotNull(timeout, "timeout");
        }
    }

    /** An answer: its status and the start of its body (at most {@link #BODY_LIMIT} characters). */
    record Response(int status, String body) {
        public static final int BODY_LIMIT = 4096;

        public Response {
            body = body == null ? "" : body.length() > BODY_LIMIT ? body.substring(0, BODY_LIMIT) : body;
        }
    }
}
