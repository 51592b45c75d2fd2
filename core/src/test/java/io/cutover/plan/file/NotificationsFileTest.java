package io.cutover.plan.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cutover.engine.IamPolicy;
import io.cutover.plan.Notifications;
import io.cutover.step.Grant;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A plan file's notifications: an SNS topic and a webhook, checked before anything runs. */
class NotificationsFileTest {
    private static final String PLAN = """
            id: shop-upgrade
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [{kind: instance, id: shop-db}]
            notifications:
            %s
            steps:
              - {kind: snapshot-database, id: snap-db, database: {kind: instance, id: shop-db}}
            """;

    private static String refused(String notifications) {
        return catchThrowable(() -> PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted(notifications)))
                .getMessage();
    }

    @Test
    void aPlanNamesATopicAndAWebhookSecretAndTheirTimeout() {
        Notifications n = PlanFiles.parse(
                        Path.of("plan.yaml"),
                        PLAN.formatted("  snsTopic: arn:aws:sns:eu-west-1:123456789012:cutovers\n"
                                + "  webhook: ${secret:slack-webhook}\n  timeout: 3s"))
                .plan()
                .notifications();

        assertThat(n.snsTopic()).contains("arn:aws:sns:eu-west-1:123456789012:cutovers");
        assertThat(n.webhook()).contains("${secret:slack-webhook}");
        assertThat(n.limit()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void thePreviewSaysWhoIsNotifiedWithoutALiteralWebhooksPath() {
        var plan = PlanFiles.parse(
                        Path.of("plan.yaml"),
                        PLAN.formatted("  snsTopic: arn:aws:sns:eu-west-1:123456789012:cutovers\n"
                                + "  webhook: https://hooks.example.com/services/T000/s3cr3t"))
                .plan();

        assertThat(io.cutover.engine.PlanPreview.render(plan))
                .contains("Notifies SNS topic arn:aws:sns:eu-west-1:123456789012:cutovers and webhook at "
                        + "hooks.example.com of gates waiting")
                .doesNotContain("s3cr3t");
    }

    @Test
    void aTopicThatIsNotAnArnIsRefusedWithAnExample() {
        assertThat(refused("  snsTopic: cutovers"))
                .contains("notifications.snsTopic")
                .contains("'cutovers' is not an SNS topic ARN; e.g. arn:aws:sns:");
        assertThat(refused("  snsTopic: arn:aws:sqs:eu-west-1:123456789012:cutovers"))
                .contains("is not an SNS topic ARN");
    }

    @Test
    void aWebhookIsHttpsOrASecretNeverPlainHttpNorAnotherReference() {
        assertThat(refused("  webhook: http://hooks.example.com/T000/B000/XXXX"))
                .contains("notifications.webhook")
                .contains("is plain http; a webhook URL carries its credential, use https://");
        assertThat(refused("  webhook: ${env:SLACK_URL}"))
                .contains("notifications.webhook")
                .contains("is neither an https:// URL nor a secret reference; e.g. ${secret:slack-webhook}");
        assertThat(PlanFiles.parse(Path.of("plan.yaml"), PLAN.formatted("  webhook: https://hooks.example.com/x"))
                        .plan()
                        .notifications()
                        .webhook())
                .contains("https://hooks.example.com/x");
    }

    @Test
    void aTimeoutAboveHalfAMinuteIsRefused() {
        assertThat(refused("  webhook: ${secret:hook}\n  timeout: 2m"))
                .contains("notifications.timeout")
                .contains("at most 30s");
    }

    @Test
    void thePolicyGrantsPublishOnTheTopicAloneAndReadsTheWebhookSecret() {
        var plan = PlanFiles.parse(
                        Path.of("plan.yaml"),
                        PLAN.formatted("  snsTopic: arn:aws:sns:eu-west-1:123456789012:cutovers\n"
                                + "  webhook: ${secret:slack-webhook}"))
                .plan();
        IamPolicy policy = IamPolicy.of(plan);

        assertThat(policy.grants())
                .filteredOn(g -> g.actions().contains("sns:Publish"))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.actions()).containsExactly("sns:Publish");
                    assertThat(g.resources()).containsExactly("arn:aws:sns:eu-west-1:123456789012:cutovers");
                    assertThat(g.access()).isEqualTo(Grant.Access.WRITE);
                });
        assertThat(policy.grants())
                .filteredOn(g -> g.actions().contains("secretsmanager:GetSecretValue"))
                .flatMap(Grant::resources)
                .anySatisfy(r -> assertThat(r).contains("slack-webhook"));
    }
}
