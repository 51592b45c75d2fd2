package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rehearsal shows each notification where it would be sent, and its alarm checks read the plan's alarms. */
class NotificationsRehearsalTest {
    @TempDir
    Path dir;

    @Test
    void aRehearsalShowsTheNotificationsAndPassesItsAlarmChecks() throws Exception {
        Files.writeString(dir.resolve("app.json"), io.cutover.simulator.CloudSimulation.sampleTemplate());
        Path plan = dir.resolve("notify.yaml");
        Files.writeString(plan, """
            id: notify
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [{kind: instance, id: shop-db}]
              dns: {zoneId: Z0123456789ABC, name: shop.example.com, type: CNAME}
            notifications:
              snsTopic: arn:aws:sns:eu-west-1:123456789012:cutovers
              webhook: ${secret:slack-webhook}
            strategy:
              parallelUpgrade:
                greenStack: shop-green
                template: {file: app.json}
                parameters: {AppVersion: "2.0"}
                snapshotParameters: {DBSnapshotIdentifier: shop-db}
                checks:
                  - {type: http, url: "http://${green.outputs.Endpoint}/health"}
                  - {type: alarm, name: shop-green-5xx}
                bake: 1h
            """);

        String[] text = run("run", "--simulate", plan.toString());

        assertThat(text[0]).as(text[1] + text[2]).isEqualTo("0");
        assertThat(text[1])
                .contains("notified SNS topic arn:aws:sns:eu-west-1:123456789012:cutovers: cutover notify completed")
                .contains("notified webhook ${secret:slack-webhook}: cutover notify completed")
                .contains("alarm 'shop-green-5xx' not in ALARM");
    }
}
