package io.cutover.cli;

import static io.cutover.cli.BadPlanCorpusTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.plan.file.PlanFile;
import io.cutover.plan.file.PlanFiles;
import io.cutover.simulator.CloudSimulation;
import io.cutover.simulator.Faults;
import io.cutover.simulator.Latencies;
import io.cutover.simulator.RateLimits;
import io.cutover.state.FileStateStore;
import io.cutover.state.RunStatus;
import io.cutover.step.Hooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret's value never surfaces, even when the cloud echoes it: a template that returns the database password
 * as a stack output, a failing check whose host name holds a secret. The state file, the display,
 * {@code --output json}, {@code status}, and the HTML report show {@code ****(secret:ID#key)} instead.
 */
class SecretMaskingTest {
    static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-db";
    /** What a rehearsal's secret store answers for every secret ({@code Session}). */
    static final String SIMULATED = "simulated-secret-value";

    static final String PASSWORD_MARKER = "****(secret:" + ARN + "#password)";

    @TempDir
    Path dir;

    /** The sample application's template, with a database password that two outputs echo. */
    static String echoingTemplate() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode t = (ObjectNode) json.readTree(CloudSimulation.sampleTemplate());
        ((ObjectNode) t.get("Parameters"))
                .putObject("DBPassword")
                .put("Type", "String")
                .put("NoEcho", true);
        ObjectNode outputs = (ObjectNode) t.get("Outputs");
        outputs.putObject("Password").putObject("Value").put("Ref", "DBPassword");
        ArrayNode parts = outputs.putObject("DatabaseUrl")
                .putObject("Value")
                .putArray("Fn::Join")
                .add("")
                .addArray();
        parts.add("postgres://app:");
        parts.addObject().put("Ref", "DBPassword");
        parts.add("@db.internal");
        return json.writeValueAsString(t);
    }

    /** A parallel upgrade whose template echoes the password; {@code check} is one more health check's URL. */
    Path plan(String id, String check) throws Exception {
        Files.writeString(dir.resolve("app.json"), echoingTemplate());
        Path plan = dir.resolve(id + ".yaml");
        Files.writeString(plan, """
            id: %s
            environment:
              name: shop-prod
              stack: shop-blue
              databases: [{kind: instance, id: shop-db}]
              dns: {zoneId: Z0123456789ABC, name: shop.example.com, type: CNAME}
            strategy:
              parallelUpgrade:
                greenStack: shop-green
                template: {file: app.json}
                parameters:
                  AppVersion: "2.0"
                  DBPassword: "${secret:%s#password}"
                snapshotParameters: {DBSnapshotIdentifier: shop-db}
                checks:
                  - {type: http, url: "http://${green.outputs.Endpoint}/health"}
                  - {type: http, url: "%s"}
                verifyTimeout: 5m
                bake: 1h
            """.formatted(id, ARN, check));
        return plan;
    }

    @Test
    void aRehearsalWhoseTemplateEchoesTheSecretShowsOnlyItsMarker() throws Exception {
        Path plan = plan("echo", "http://${green.outputs.Endpoint}/ready");
        Path page = dir.resolve("echo.html");

        String[] json = run("run", "--simulate", "--output", "json", "--report", page.toString(), plan.toString());
        String[] text = run("run", "--simulate", plan.toString());

        assertThat(json[0]).as(json[2]).isEqualTo("0");
        assertThat(text[0]).as(text[2]).isEqualTo("0");
        JsonOutputTest.lines(json[1]);
        assertThat(json[1]).as("the clone's outputs, as JSON").contains(PASSWORD_MARKER);
        String html = Files.readString(page);
        for (String shown : new String[] {json[1], json[2], text[1], text[2], html}) {
            assertThat(shown).doesNotContain(SIMULATED);
        }
    }

    @Test
    void aFailingCheckWhoseUrlHoldsASecretNamesTheSecretNotItsValue() throws Exception {
        Path plan = plan("check", "http://${secret:" + ARN + "#token}.monitor.example.com/health");

        String[] json = run("run", "--simulate", "--output", "json", plan.toString());
        String[] text = run("run", "--simulate", plan.toString());

        assertThat(json[0]).as(json[2]).isEqualTo(String.valueOf(ExitCodes.FAILED));
        assertThat(text[0]).as(text[2]).isEqualTo(String.valueOf(ExitCodes.FAILED));
        // a rehearsal answers every secret with one value, so the marker names whichever secret came first
        String masked = "no answer from ****(secret:" + ARN + "#";
        assertThat(json[1]).contains(masked);
        assertThat(text[1] + text[2]).contains(masked);
        for (String shown : new String[] {json[1], json[2], text[1], text[2]}) {
            assertThat(shown).doesNotContain(SIMULATED);
        }
    }

    @Test
    void theStateFileStatusAndTheReportOfACutoverThatReadASecretHoldOnlyItsMarker() throws Exception {
        String password = "pa55-w0rd-of-shop-db";
        Path state = dir.resolve("state");
        PlanFile file = PlanFiles.load(plan("stored", "http://${green.outputs.Endpoint}/ready"));
        CloudSimulation sim = CloudSimulation.create(
                Latencies.ofDefaults(), RateLimits.ofAws(), new Faults(), FileStateStore.in(state));
        sim.seed(file.plan());
        var run = sim.engine()
                .hooks(Hooks.builder().build())
                .withoutLogging()
                .secrets((id, key) -> key.orElseThrow().equals("password") ? password : "?")
                .build()
                .start(file.plan());
        sim.runUntilSettled(run);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(sim.cloud().stack("shop-green").orElseThrow().outputs()).containsEntry("Password", password);

        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(password);
            }
        }
        assertThat(Files.readString(state.resolve("runs/stored.json"))).contains(PASSWORD_MARKER);
        String[] status = run("status", "stored", "--output", "json", "--state-dir", state.toString());
        Path page = dir.resolve("stored.html");
        String[] report = run("report", "stored", "--html", page.toString(), "--state-dir", state.toString());
        assertThat(status[0]).as(status[2]).isEqualTo("0");
        assertThat(report[0]).as(report[2]).isEqualTo("0");
        assertThat(status[1]).contains(PASSWORD_MARKER);
        for (String shown : new String[] {status[1], status[2], report[1], report[2], Files.readString(page)}) {
            assertThat(shown).doesNotContain(password);
        }
    }
}
