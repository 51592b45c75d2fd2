package io.cutover.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.cutover.InvalidPlanException.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a cutover tells people what happens to it: an SNS topic ({@code sns:Publish}), a webhook that takes
 * Slack-compatible JSON ({@code {"text": "..."}}), or both. They hear when a gate waits for an approval, when
 * the downtime window opens and closes, when a step fails, when a rollback starts and when the cutover settles.
 *
 * <pre>{@code
 * plan.withNotifications(Notifications.none()
 *         .withSnsTopic("arn:aws:sns:eu-west-1:123456789012:cutovers")
 *         .withWebhook("${secret:slack-webhook}"));
 * }</pre>
 *
 * A notification is sent on the engine's thread and waits at most {@code timeout} (5 seconds unless set, at most
 * {@link #MAX_TIMEOUT}); one that fails or times out never fails the cutover: it is logged and reported as a
 * {@code NotificationFailed} event. A webhook URL carries its credential in its path (Slack's do), so give it as
 * {@code ${secret:ID}} (read from the engine's secret store when a notification is sent, never stored nor
 * printed); a literal URL must be {@code https://}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Notifications(Optional<String> snsTopic, Optional<String> webhook, Optional<Duration> timeout) {
    /** The longest one notification may take. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern TOPIC_ARN =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern SECRET = Pattern.compile("\\$\\{secret:[^}]+}");

    public Notifications {
        snsTopic = snsTopic == null ? Optional.empty() : snsTopic;
        webhook = webhook == null ? Optional.empty() : webhook;
        timeout = timeout == null ? Optional.empty() : timeout;
    }

    /** No notifications (the default of a plan). */
    public static Notifications none() {
        return new Notifications(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** These notifications, also published to the SNS topic of ARN {@code topicArn}. */
    public Notifications withSnsTopic(String topicArn) {
        return new Notifications(Optional.of(topicArn), webhook, timeout);
    }

    /** These notifications, also posted to {@code url}: {@code https://...} or {@code ${secret:ID}}. */
    public Notifications withWebhook(String url) {
        return new Notifications(snsTopic, Optional.of(url), timeout);
    }

    /** These notifications, each waiting at most {@code limit}. */
    public Notifications withTimeout(Duration limit) {
        return new Notifications(snsTopic, webhook, Optional.of(limit));
    }

    /** How long one notification may take. */
    @JsonIgnore
    public Duration limit() {
        return timeout.orElse(DEFAULT_TIMEOUT);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return snsTopic.isEmpty() && webhook.isEmpty() && timeout.isEmpty();
    }

    /** The problems of these settings, at {@code notifications.*}. */
    List<Problem> problems() {
        List<Problem> out = new java.util.ArrayList<>();
        snsTopic.filter(t -> !TOPIC_ARN.matcher(t).matches())
                .ifPresent(t -> out.add(new Problem(
                        "notifications.snsTopic",
                        "'" + t + "' is not an SNS topic ARN; e.g. arn:aws:sns:eu-west-1:123456789012:cutovers")));
        webhook.filter(w -> !SECRET.matcher(w).matches() && !isHttpsUrl(w))
                .ifPresent(w -> out.add(new Problem(
                        "notifications.webhook",
                        (w.startsWith("http://")
                                        ? "is plain http; a webhook URL carries its credential, use https://"
                                        : "is neither an https:// URL nor a secret reference")
                                + "; e.g. ${secret:slack-webhook} (a Secrets Manager secret holding the URL)")));
        timeout.filter(d -> d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0)
                .ifPresent(d -> out.add(new Problem(
                        "notifications.timeout",
                        d.toMillis() + " ms is out of range; a notification may take more than 0 and at most "
                                + MAX_TIMEOUT.toSeconds() + "s, e.g. 5s")));
        return out;
    }

    private static boolean isHttpsUrl(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            return "https".equals(u.getScheme()) && u.getHost() != null && !url.contains("${");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
