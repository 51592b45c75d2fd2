package io.cutover.aws;

import io.cutover.spi.NotificationProvider;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Notifications on AWS: {@code sns:Publish} to the plan's topic, each call bounded by the notification's
 * timeout ({@code apiCallTimeout}), and webhooks over the JDK's HTTP client.
 */
final class SnsNotifications implements NotificationProvider {
    private final Optional<SnsClient> sns;
    private final JdkWebhook webhook;

    SnsNotifications(Optional<SnsClient> sns, JdkWebhook webhook) {
        this.sns = sns;
        this.webhook = webhook;
    }

    @Override
    public void publish(String topicArn, String subject, String message, Duration timeout) {
        SnsClient client = sns.orElseThrow(() ->
                new IllegalStateException("this AwsCloud has no SnsClient; pass one with AwsCloud.builder().sns(...)"));
        // SNS is not among the engine's rate buckets (a cutover publishes a handful of messages), so the call is
        // classified here rather than through AwsCalls.
        try {
            client.publish(r -> r.topicArn(topicArn)
                    .subject(subject)
                    .message(message)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            throw AwsFailures.naming(AwsFailures.classify("sns", "Publish", e), Optional.of("topic " + topicArn));
        }
    }

    @Override
    public void post(URI url, String json, Duration timeout) {
        webhook.post(url, json, timeout);
    }
}
