package io.cutover.spi;

import java.net.URI;
import java.time.Duration;

/** Sends one HTTP GET for a health check and reports the status code. */
public interface HttpProbe {
    /**
     * Returns the HTTP status of a GET on {@code uri}, or throws {@link ProviderException} with
     * {@link FailureKind#TRANSIENT} when nothing answered within {@code timeout}.
     */
    int get(URI uri, Duration timeout);
}
