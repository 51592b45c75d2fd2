package io.cutover.spi;

import java.net.URI;
import java.time.Duration;

/**
 * Sends a cutover's notifications: to an SNS topic and to a webhook that takes Slack-compatible JSON. Each call
 * returns within {@code timeout} (a notification must never hold the engine long) and throws only
 * {@link ProviderException}; the engine logs a failure and goes on, since a lost notification never fails a
 * cutover.
 */
public interface NotificationProvider {
    /** Publishes {@code message} with {@code subject} (at most 100 characters) to the SNS topic {@code topicArn}. */
    void publish(String topicArn, String subject, String message, Duration timeout);

    /** POSTs {@code json} to {@code url}; fails unless the webhook answers 2xx within {@code timeout}. */
    void post(URI url, String json, Duration timeout);
}
