package io.cutover.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.InvalidPlanException;
import io.cutover.engine.CutoverRun;
import io.cutover.engine.Engine;
import io.cutover.engine.SecretStore;
import io.cutover.engine.VirtualScheduler;
import io.cutover.event.CutoverEvent;
import io.cutover.plan.Plan;
import io.cutover.plan.StepId;
import io.cutover.plan.StepSpec.Check;
import io.cutover.plan.StepSpec.TemplateRef;
import io.cutover.simulator.CloudSimulation;
import io.cutover.state.RunState;
import io.cutover.state.RunStatus;
import io.cutover.state.StateCodec;
import io.cutover.state.StepStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets are referenced, read when a step needs them, and never stored in the state or put in an event: not
 * even when the cloud echoes one back (a template output, an error about a URL that holds one).
 */
class SecretsTest {
    @Test
    void secretsReachTheCloudButNeitherTheStateNorTheEvents() {
        Fixture f = new Fixture();
        Plan plan = f.upgrade("secret-1")
                .parameter("DBInstanceClass", "${env:SHOP_DB_CLASS}")
                .parameter("AppVersion", "${secret:arn:aws:secretsmanager:us-east-1:123456789012:secret:shop#version}")
                .build();
        List<CutoverEvent> events = new ArrayList<>();
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .environmentVariables(Map.of("SHOP_DB_CLASS", "db.r6g.secret-class")::get)
                .secrets((id, key) -> key.equals(java.util.Optional.of("version")) ? "2.0-top-secret" : "?")
                .build()
                .start(plan);
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stack("shop-green").orElseThrow().parameters())
                .containsEntry("AppVersion", "2.0-top-secret")
                .containsEntry("DBInstanceClass", "db.r6g.secret-class");
        String state = new String(
                StateCodec.ofDefaults().encode(f.sim.store().load("secret-1").orElseThrow()));
        assertThat(state)
                .doesNotContain("2.0-top-secret")
                .doesNotContain("db.r6g.secret-class")
                .contains("${secret:arn:aws:secretsmanager");
        assertThat(events)
                .allSatisfy(e -> assertThat(e.describe() + e)
                        .doesNotContain("2.0-top-secret")
                        .doesNotContain("db.r6g.secret-class"));
    }

    static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop-db";
    static final String PASSWORD = "pa55-w0rd-of-shop-db";
    static final String MARKER = "****(secret:" + ARN + "#password)";

    /** The sample application's template, with a database password that two outputs echo. */
    static String echoingTemplate() {
        try {
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
            parts.add("@");
            parts.addObject().putArray("Fn::GetAtt").add("Database").add("Endpoint.Address");
            return json.writeValueAsString(t);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Plan echoingPlan(Fixture f, String id) {
        return f.upgrade(id)
                .template(TemplateRef.ofBody(echoingTemplate()))
                .parameter("DBPassword", "${secret:" + ARN + "#password}")
                .build();
    }

    static SecretStore store() {
        return (id, key) -> {
            assertThat(id).isEqualTo(ARN);
            return key.orElseThrow().equals("password") ? PASSWORD : "monitor-t0ken-4711";
        };
    }

    @Test
    void aTemplateThatEchoesTheSecretAsAnOutputLeavesOnlyItsMarkerInTheStateAndTheEvents() {
        Fixture f = new Fixture();
        List<CutoverEvent> events = new ArrayList<>();
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .secrets(store())
                .build()
                .start(echoingPlan(f, "secret-3"));
        f.sim.runUntilSettled(run);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(f.cloud.stack("shop-green").orElseThrow().outputs())
                .as("the cloud has the value")
                .containsEntry("Password", PASSWORD);
        RunState end = f.sim.store().load("secret-3").orElseThrow();
        Map<String, String> outputs = end.step(StepId.of("clone")).outputs();
        assertThat(outputs).containsEntry("Password", MARKER);
        assertThat(outputs.get("DatabaseUrl")).startsWith("postgres://app:" + MARKER + "@");
        assertThat(new String(StateCodec.ofDefaults().encode(end), StandardCharsets.UTF_8))
                .doesNotContain(PASSWORD)
                .contains(MARKER);
        assertThat(events).allSatisfy(e -> assertThat(e.describe() + e).doesNotContain(PASSWORD));
        assertThat(events)
                .filteredOn(e -> e instanceof CutoverEvent.StepSucceeded)
                .anySatisfy(e -> assertThat(e.toString()).contains(MARKER));
    }

    @Test
    void aCutoverResumedInANewProcessMasksASecretThatTheOldProcessRead() {
        // the first process reads the secret and creates the stack; the second only polls it and meets the
        // outputs that echo it, without having resolved the reference itself
        Fixture f = new Fixture();
        Plan plan = echoingPlan(f, "secret-5");
        VirtualScheduler.Scope first = f.sim.scheduler().scope();
        CutoverRun run = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(first)
                .hooks(f.hooks)
                .secrets(store())
                .build()
                .start(plan);
        f.runUntil(() -> run.state().step(StepId.of("clone")).status() == StepStatus.RUNNING);
        first.kill();

        List<CutoverEvent> events = new ArrayList<>();
        CutoverRun resumed = Engine.builder()
                .cloud(f.cloud)
                .stateStore(f.sim.store())
                .scheduler(f.sim.scheduler().scope())
                .hooks(f.hooks)
                .listener(events::add)
                .secrets(store())
                .build()
                .resume("secret-5");
        f.sim.runUntilSettled(resumed);

        assertThat(resumed.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.state().step(StepId.of("clone")).outputs()).containsEntry("Password", MARKER);
        assertThat(new String(StateCodec.ofDefaults().encode(resumed.state()), StandardCharsets.UTF_8))
                .doesNotContain(PASSWORD);
        assertThat(events).allSatisfy(e -> assertThat(e.describe() + e).doesNotContain(PASSWORD));
    }

    @Test
    void aFailingCheckWhoseUrlHoldsASecretNamesTheSecretNotItsValue() {
        Fixture f = new Fixture();
        Plan plan = f.upgrade("secret-4")
                .check(Check.Http.of("http://${secret:" + ARN + "#token}.monitor.example.com/health"))
                .verifyTimeout(Duration.ofMinutes(5))
                .build();
        List<CutoverEvent> events = new ArrayList<>();
        CutoverRun run = f.sim.engine()
                .hooks(f.hooks)
                .listener(events::add)
                .secrets(store())
                .build()
                .start(plan);
        f.sim.runUntilSettled(run);

        RunState end = run.state();
        assertThat(end.status()).isEqualTo(RunStatus.ROLLED_BACK);
        String masked = "no answer from ****(secret:" + ARN + "#token).monitor.example.com";
        assertThat(end.failure()).hasValueSatisfying(r -> assertThat(r).contains(masked));
        assertThat(events)
                .filteredOn(e -> e instanceof CutoverEvent.StepFailed)
                .singleElement()
                .satisfies(
                        e -> assertThat(((CutoverEvent.StepFailed) e).reason()).contains(masked));
        assertThat(new String(StateCodec.ofDefaults().encode(end), StandardCharsets.UTF_8))
                .doesNotContain("monitor-t0ken-4711");
        assertThat(events).allSatisfy(e -> assertThat(e.describe() + e).doesNotContain("monitor-t0ken-4711"));
    }

    @Test
    void anEnvironmentVariableThatIsNotSetIsRefusedBeforeAnythingChanges() {
        Fixture f = new Fixture();
        Plan plan = f.upgrade("secret-2")
                .parameter("DBPassword", "${env:SHOP_DB_PASSWORD}")
                .build();
        assertThatThrownBy(() -> f.sim.engine()
                        .hooks(f.hooks)
                        .environmentVariables(name -> null)
                        .build()
                        .start(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining(
                        "steps[clone].parameters.DBPassword: ${env:SHOP_DB_PASSWORD}: environment variable "
                                + "SHOP_DB_PASSWORD is not set");
        assertThat(f.cloud.stack("shop-green")).isEmpty();
    }
}
