package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.engine.CutoverRun;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Notifications;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.SimulatedCloud.Notification;
import io.cutover.spi.FailureKind;
import io.cutover.state.RunStatus;
import io.cutover.state.StepStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * People hear about a cutover where the plan says, at the moments they act on: a gate waiting for them, the
 * downtime window, a failure, a rollback and the end. A notification that cannot be sent is a warning, never a
 * failed cutover.
 */
class NotificationsTest {
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:cutovers";
    static final String HOOK_URL = "https://hooks.example.com/services/T000/B000/s3cr3t-t0ken";

    final Fixture f = new Fixture();
    final List<CutoverEvent> events = new ArrayList<>();

    CutoverRun start(Plan plan) {
        return f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .secrets((id, key) -> id.equals("slack-webhook") ? HOOK_URL : "?")
                .build()
                .start(plan.withNotifications(
                        Notifications.none().withSnsTopic(TOPIC).withWebhook("${secret:slack-webhook}")));
    }

    List<String> subjects() {
        return f.cloud.notificationsSent().stream()
                .filter(n -> n.channel().equals("sns"))
                .map(Notification::subject)
                .toList();
    }

    @Test
    void theGateTheDowntimeAndTheEndReachTheTopicAndTheWebhookInTheOrderTheyHappened() throws Exception {
        CutoverRun run = start(f.upgrade("notify-1").approveBeforeFreeze().build());
        f.sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.WAITING);
        // The gate's notification has gone out by the time the cutover settles to wait for a person.
        assertThat(subjects()).containsExactly("Cutover shop-prod: waiting for approval");

        run.approve(run.state().steps().keySet().stream()
                .filter(id -> run.state().step(StepId.of(id)).status() == StepStatus.WAITING)
                .findFirst()
                .orElseThrow());
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(subjects())
                .containsExactly(
                        "Cutover shop-prod: waiting for approval",
                        "Cutover shop-prod: downtime started",
                        "Cutover shop-prod: downtime ended",
                        "Cutover shop-prod: completed");
        List<Notification> hooks = f.cloud.notificationsSent().stream()
                .filter(n -> n.channel().equals("webhook"))
                .toList();
        assertThat(hooks).hasSize(4).allSatisfy(n -> assertThat(n.target()).isEqualTo(HOOK_URL));
        // Slack's incoming webhooks take {"text": ...}.
        String text =
                new ObjectMapper().readTree(hooks.get(3).text()).get("text").asText();
        assertThat(text).startsWith("Cutover notify-1 of shop-prod: cutover notify-1 completed");
        assertThat(f.cloud.notificationsSent().stream()
                        .filter(n -> n.channel().equals("sns"))
                        .map(Notification::target))
                .containsOnly(TOPIC);
        // The webhook's URL is its credential: it reaches the cloud, never an event.
        assertThat(events).allSatisfy(e -> assertThat(e.describe() + e).doesNotContain("s3cr3t-t0ken"));
        assertThat(events)
                .filteredOn(e -> e instanceof CutoverEvent.NotificationSent)
                .map(CutoverEvent::describe)
                .contains("notified webhook ${secret:slack-webhook}: downtime started (freeze)");
    }

    @Test
    void aFailingBakeTellsOfTheFailureTheRollbackAndTheEndWithBlueServing() {
        CutoverRun run = start(f.plan());
        f.runUntil(() -> run.state().step(StepId.of("bake")).status() == StepStatus.RUNNING);
        f.cloud.faults().unhealthy("shop-green");
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.ROLLED_BACK);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-blue");
        assertThat(subjects())
                .containsSubsequence(
                        "Cutover shop-prod: step failed",
                        "Cutover shop-prod: rolling back",
                        "Cutover shop-prod: rolled back");
        assertThat(f.cloud.notificationsSent())
                .filteredOn(n -> n.subject().equals("Cutover shop-prod: step failed"))
                .first()
                .satisfies(n -> assertThat(n.text()).contains("bake FAILED: bake check failed"));
    }

    @Test
    void aTopicAndAWebhookThatFailEveryTimeLeaveWarningsAndTheCutoverCompletes() {
        f.cloud.faults().failNext("Publish", FailureKind.ACCESS_DENIED, 1000);
        f.cloud.faults().failNext("POST webhook", FailureKind.TRANSIENT, 1000);
        CutoverRun run = start(f.plan());
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stackBehind(CloudSimulation.HOST)).contains("shop-green");
        assertThat(f.cloud.notificationsSent()).isEmpty();
        List<CutoverEvent.NotificationFailed> warnings = events.stream()
                .filter(e -> e instanceof CutoverEvent.NotificationFailed)
                .map(e -> (CutoverEvent.NotificationFailed) e)
                .toList();
        // Downtime start and end, and the end: each to both channels.
        assertThat(warnings).hasSize(6);
        assertThat(warnings.get(0).describe())
                .startsWith("WARNING: could not notify SNS topic " + TOPIC + " (downtime started (freeze))")
                .endsWith("the cutover goes on");
        assertThat(warnings).allSatisfy(w -> assertThat(w.describe()).doesNotContain("s3cr3t-t0ken"));
    }
}
